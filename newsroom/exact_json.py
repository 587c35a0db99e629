"""
The "json" serialization format (dumpdata, loaddata, revisions), keeping times to the microsecond.

Django's own JSON format writes times to the millisecond (as JavaScript's dates have them), so a
backup restored from it would come back with every time slightly changed. This one writes them
whole; reading is Django's, which reads both. Registered in settings (SERIALIZATION_MODULES).
"""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as DjangoJSONSerializer

__all__ = ["Deserializer", "ExactJSONEncoder", "Serializer"]


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(DjangoJSONSerializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactJSONEncoder)
        super()._init_options()
