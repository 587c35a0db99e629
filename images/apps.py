from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "images"
    verbose_name = "Images"

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Every decode in the process, Willow's included, stops at the library's pixel limit
        # (Pillow warns above it and refuses at twice it; images.uploads refuses at the limit).
        Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
