"""aiogram's Telegram types, each made ready the first time it is used: about 90 MiB less
in every worker, and a faster start.

aiogram declares its ~400 types to be built lazily (pydantic's `defer_build`), then builds
every one of them at import (the `model_rebuild` loop at the end of aiogram/types), and each
of its ~170 methods builds its own validator when it is defined. Every validator holds the
whole tree of types below it, so an idle worker weighed 225 MiB, 160 of them aiogram's.

Here that loop only records the names the types refer to, and those names are put where
pydantic looks for them (each aiogram type's and method's module): pydantic then builds a
type or method the first time it is used — its own way with a model not complete yet — and
a worker builds the few dozen it needs instead of all of them. It must run before anything
imports aiogram, which is why `bot/__init__.py` calls it.
"""

import sys
from typing import Any

from pydantic import BaseModel

MODULES = ("aiogram.types.", "aiogram.methods.")


def defer_telegram_models() -> None:
    if "aiogram" in sys.modules:
        return  # imported (and built) already: nothing to save
    names: dict[str, Any] = {}
    rebuild = BaseModel.__dict__["model_rebuild"]

    def record_names(cls: type[BaseModel], **options: Any) -> bool | None:
        namespace = options.get("_types_namespace")
        if namespace is not None and cls.__module__.startswith(MODULES) and not options.get("force"):
            names.update(namespace)
            return None
        return rebuild.__func__(cls, **options)  # type: ignore[no-any-return]

    BaseModel.model_rebuild = classmethod(record_names)  # type: ignore[method-assign,assignment]
    try:
        import aiogram.methods
        import aiogram.types  # noqa: F401
    finally:
        BaseModel.model_rebuild = rebuild  # type: ignore[method-assign]
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith(MODULES):
            for name, value in names.items():
                module.__dict__.setdefault(name, value)
