"""The library's upload and edit form: every new file goes through images.uploads first."""

from django import forms

from images.models import Image
from images.uploads import KINDS, UploadRefused, accepted_types, prepare, title_from_name


class ImageForm(forms.ModelForm):
    # A plain file field: Django's ImageField would open the upload with Pillow before the
    # checks in images.uploads, and answer every refusal with one vague message.
    file = forms.FileField(
        label="Picture",
        help_text=f"A {KINDS} picture. Caption and credit are read from the file when it has them; "
        "location and camera details in it are removed.",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(accepted_types())}),
        allow_empty_file=True,  # images.uploads says so itself, in the library's words
    )

    class Meta:
        model = Image
        fields = ("file", "title", "alt_text", "decorative", "caption", "credit", "focal_x", "focal_y")

    prepared = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if "file" not in self.files:
            return upload  # the stored file, unchanged
        try:
            self.prepared = prepare(upload)
        except UploadRefused as refusal:
            raise forms.ValidationError(refusal.messages[0], code=refusal.code) from None
        return self.prepared.content

    def clean(self):
        cleaned = super().clean()
        if self.prepared is not None:
            # The file's own caption, credit and title fill what the editor left empty.
            described = self.prepared.described
            upload_name = self.files["file"].name
            for field, value in (
                ("caption", described.caption),
                ("credit", described.credit),
                ("title", described.title or title_from_name(upload_name)),
            ):
                if not cleaned.get(field) and value:
                    cleaned[field] = value
            self.instance.sha256 = self.prepared.sha256
            if self.instance.pk is not None:
                # A new picture: the old focal point was about another one.
                if "focal_x" not in self.changed_data and "focal_y" not in self.changed_data:
                    cleaned["focal_x"] = cleaned["focal_y"] = 0.5
        return cleaned
