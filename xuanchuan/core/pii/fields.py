"""Model fields that keep personal data encrypted in the database.

::

    class Resident(UnitOwned):
        name = EncryptedCharField(_("姓名"), max_length=50, kind="name")
        id_number = EncryptedCharField(_("身份证号码"), max_length=18, kind="id_number",
                                       validators=[validate_resident_id])
        id_number_index = BlindIndexField(source="id_number")

    Resident.objects.visible_to(user).filter(**lookup(Resident, "id_number", typed_number))

In Python the value is plaintext; the column holds ``v1$suite$key-id$…`` text (see
:mod:`xuanchuan.core.pii.crypto`), an empty string stays empty. Because every encryption is
randomised, the database cannot compare, sort or search these columns: only ``isnull`` and
equality with ``""`` are accepted, any other lookup raises ``FieldError`` pointing to the blind
index. A ``BlindIndexField`` is filled on every save from its source field; code that writes
with ``QuerySet.update()`` or ``bulk_update()`` must call :func:`set_blind_indexes` itself (or
run ``manage.py reindex_personal_data``). ``save(update_fields=[...])`` naming the source but
not the index is caught and the index refreshed after the save.

The field's label ``app_label.model_name.field_name`` is bound into every ciphertext, so
renaming the model or field needs ``crypto_label="old.label"`` to keep reading old rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps as global_apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.models.lookups import Exact
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from xuanchuan.core.pii import crypto
from xuanchuan.core.pii.kinds import KINDS, Kind, normalize, normalize_id_number
from xuanchuan.core.pii.masking import mask

# Concrete models (of the running project) that have at least one encrypted field.
_MODELS: dict[str, type[models.Model]] = {}


def blind_index(value: str | None, kind: str) -> str:
    """The hex blind index of ``value`` as a ``kind``; ``""`` for an empty value."""
    normalised = normalize(value or "", kind)
    return crypto.blind_index_digest(normalised, kind) if normalised else ""


def _unsupported(field: models.Field, lookup_name: str) -> FieldError:
    index = f"lookup({field.model.__name__}, {field.name!r}, 值)" if hasattr(field, "model") else "lookup()"
    return FieldError(
        f"加密字段 {getattr(field, 'crypto_label', field.name)} 不能在数据库中按内容查询、排序或比较"
        f"（“{lookup_name}”）：请为它增加 BlindIndexField，并用 {index} 按完整值查找。"
    )


class EmptyValueExact(Exact):
    """``field=""`` on an encrypted field: the only comparison that needs no plaintext."""

    def get_prep_lookup(self) -> Any:
        if self.rhs is not None and self.rhs != "":
            raise _unsupported(self.lhs.output_field, "exact")
        return super().get_prep_lookup()


class EncryptedFieldMixin:
    """Encryption, lookup refusal and registration shared by the two encrypted field classes."""

    def __init__(self, *args: Any, kind: str = Kind.TEXT, crypto_label: str | None = None, **kwargs: Any) -> None:
        if kind not in KINDS:
            raise ValueError(f"未知的个人信息类型 kind={kind!r}，应为 {sorted(KINDS)} 之一")
        self.kind = str(kind)
        self._crypto_label = crypto_label
        super().__init__(*args, **kwargs)

    @property
    def crypto_label(self) -> str:
        """The associated data bound into every ciphertext of this field."""
        if self._crypto_label:
            return self._crypto_label
        return f"{self.model._meta.app_label}.{self.model._meta.model_name}.{self.name}"

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract and cls._meta.apps is global_apps:
            _MODELS[cls._meta.label_lower] = cls

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        if self.kind != Kind.TEXT:
            kwargs["kind"] = self.kind
        if self._crypto_label:
            kwargs["crypto_label"] = self._crypto_label
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.unique or self.db_index or self.primary_key:
            errors.append(
                checks.Error(
                    "加密字段不能设置 unique、db_index 或 primary_key：密文每次都不同，索引与唯一约束没有意义。",
                    hint="在 BlindIndexField(source=...) 上建立索引或唯一约束。",
                    obj=self,
                    id="core.E101",
                )
            )
        return errors

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        if value and self.kind == Kind.ID_NUMBER:
            return normalize_id_number(value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value), self.crypto_label)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt(value, self.crypto_label)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return EmptyValueExact
        raise _unsupported(self, lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        raise _unsupported(self, lookup_name)


class EncryptedCharField(EncryptedFieldMixin, models.CharField):
    """A short piece of personal data (name, ID number, phone), encrypted in a text column.

    ``max_length`` limits the plaintext; the column is unbounded text because the ciphertext
    is longer. ``kind`` decides normalisation and masking (see :class:`Kind`).
    """

    description = _("加密文本（短）")

    def get_internal_type(self) -> str:
        return "TextField"


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """Longer personal data (health notes, travel history), encrypted in a text column."""

    description = _("加密文本")


class BlindIndexField(models.CharField):
    """A keyed HMAC of the normalised value of an encrypted field, for exact look-ups.

    Filled automatically on save; never edited in forms. Put ``unique=True`` here, not on the
    encrypted field, when the value must be unique.
    """

    description = _("检索索引")

    def __init__(self, *args: Any, source: str, **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("verbose_name", _("检索索引"))
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs.pop("editable", None)
        for key, default in (("max_length", 64), ("db_index", True), ("blank", True), ("default", "")):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def contribute_to_class(self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract and cls._meta.apps is global_apps:
            post_save.connect(_refresh_skipped_indexes, sender=cls, dispatch_uid=f"pii-index:{cls._meta.label}")

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if not isinstance(self.source_field, EncryptedFieldMixin):
            errors.append(
                checks.Error(
                    f"BlindIndexField 的 source={self.source!r} 不是本模型的加密字段。",
                    obj=self,
                    id="core.E102",
                )
            )
        return errors

    @property
    def source_field(self) -> models.Field | None:
        try:
            return self.model._meta.get_field(self.source)
        except FieldDoesNotExist:
            return None

    @property
    def kind(self) -> str:
        return getattr(self.source_field, "kind", Kind.TEXT)

    def compute(self, instance: models.Model) -> str:
        """The index of the source field's current value on ``instance``."""
        return blind_index(getattr(instance, self.source), self.kind)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def _refresh_skipped_indexes(
    sender: type[models.Model],
    instance: models.Model,
    raw: bool = False,
    using: str | None = None,
    **kwargs: Any,
) -> None:
    """After ``save(update_fields=[source])`` without the index, write the index too."""
    update_fields = kwargs.get("update_fields")
    if raw or not update_fields:
        return
    stale = {
        field.attname: field.compute(instance)
        for field in blind_index_fields(sender)
        if field.source in update_fields and field.name not in update_fields
    }
    if stale:
        sender._base_manager.using(using).filter(pk=instance.pk).update(**stale)
        for attname, value in stale.items():
            setattr(instance, attname, value)


def encrypted_fields(model: type[models.Model]) -> list[EncryptedFieldMixin]:
    """The encrypted fields of ``model`` (concrete fields, inherited ones included)."""
    return [field for field in model._meta.concrete_fields if isinstance(field, EncryptedFieldMixin)]


def blind_index_fields(model: type[models.Model]) -> list[BlindIndexField]:
    """The blind-index fields of ``model``."""
    return [field for field in model._meta.concrete_fields if isinstance(field, BlindIndexField)]


def encrypted_models() -> list[type[models.Model]]:
    """Every loaded concrete model with an encrypted field, in label order."""
    return [_MODELS[label] for label in sorted(_MODELS)]


def encrypted_model(app_label: str, model_name: str) -> type[models.Model] | None:
    """The model ``app_label.model_name`` if it has encrypted fields, else None."""
    return _MODELS.get(f"{app_label}.{model_name}".lower())


def get_encrypted_field(model: type[models.Model], name: str) -> EncryptedFieldMixin | None:
    """The encrypted field called ``name`` on ``model``, or None."""
    return next((field for field in encrypted_fields(model) if field.name == name), None)


def index_field_for(model: type[models.Model], source: str) -> BlindIndexField:
    """The blind-index field whose source is ``source``; ``LookupError`` when there is none."""
    for field in blind_index_fields(model):
        if field.source == source:
            return field
    raise LookupError(f"{model._meta.label}.{source} 没有 BlindIndexField(source={source!r})，无法按值查找")


def lookup(model: type[models.Model], field_name: str, value: str) -> dict[str, str]:
    """Filter arguments that find rows whose ``field_name`` equals ``value`` (after normalisation).

    ``Resident.objects.visible_to(user).filter(**lookup(Resident, "phone", "138 1234 5678"))``
    """
    field = index_field_for(model, field_name)
    digest = blind_index(value, field.kind)
    if not digest:
        raise ValueError(f"按 {model._meta.label}.{field_name} 查找时，查找的值不能为空")
    return {field.name: digest}


def lookup_q(model: type[models.Model], field_name: str, value: str) -> models.Q:
    """:func:`lookup` as a ``Q`` object, to combine with other conditions."""
    return models.Q(**lookup(model, field_name, value))


def set_blind_indexes(instances: Iterable[models.Model]) -> list[str]:
    """Recompute the blind indexes of ``instances`` in memory (before ``bulk_update``).

    Returns the names of the index fields, to add to ``bulk_update``'s field list.
    """
    names: set[str] = set()
    for instance in instances:
        for field in blind_index_fields(type(instance)):
            setattr(instance, field.attname, field.compute(instance))
            names.add(field.name)
    return sorted(names)


def masked(instance: models.Model, field_name: str) -> str:
    """The masked value of an encrypted field of ``instance`` (for lists, exports and APIs)."""
    field = get_encrypted_field(type(instance), field_name)
    if field is None:
        raise LookupError(f"{type(instance)._meta.label}.{field_name} 不是加密字段")
    return mask(getattr(instance, field.attname), field.kind)
