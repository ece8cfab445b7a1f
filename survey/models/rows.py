"""Table rows read with SQLAlchemy Core, for the answer path's hot queries.

Loading through the ORM (identity map, instance state, events) costs more than
the query itself on a page that runs a few small ones per request. The answer
path selects the columns it needs with Core and builds the model objects from
the row directly. Such an object is read-only: it belongs to no session, so it
is never saved back (``session.add`` would insert it as new); changes go through
the explicit ``UPDATE`` statements of the code that reads it.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, RowMapping, inspect
from sqlmodel import SQLModel

Model = TypeVar("Model", bound=SQLModel)


class RowReader(Generic[Model]):
    """The columns of one table under a prefix, and the model built from them.

    Several tables in one ``SELECT`` share column names (``id``); the prefix
    keeps them apart in the result row.
    """

    def __init__(self, model: type[Model], prefix: str) -> None:
        """Read ``model``'s columns labelled ``<prefix>_<attribute>``."""
        self._new = inspect(model).class_manager.new_instance
        self._names = [
            (attribute.key, f"{prefix}_{attribute.key}")
            for attribute in inspect(model).column_attrs
        ]
        self.columns: list[ColumnElement[Any]] = [
            attribute.columns[0].label(f"{prefix}_{attribute.key}")
            for attribute in inspect(model).column_attrs
        ]

    def read(self, row: RowMapping) -> Model:
        """The model object for this table's columns of ``row``.

        Made as the ORM makes a loaded object (the mapped class's own ``__new__``
        and instance state, then the values), without a session.
        """
        made: Model = self._new()
        made.__dict__.update({name: row[label] for name, label in self._names})
        return made
