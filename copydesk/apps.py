from django.apps import AppConfig


class CopydeskConfig(AppConfig):
    name = "copydesk"
    verbose_name = "Copy desk"
