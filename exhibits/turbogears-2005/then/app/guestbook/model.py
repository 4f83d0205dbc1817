# -*- coding: utf-8 -*-
"""The model: SQLObject classes, one table per class, as TurboGears 1.0 projects had them."""

from sqlobject import SQLObject, UnicodeCol, connectionForURI, sqlhub

import guestbook27 as contract


def connect(dburi):
    """What turbogears.database.PackageHub did for `__connection__ = hub`."""
    sqlhub.processConnection = connectionForURI(dburi)
    Entry.createTable(ifNotExists=True)


class Entry(SQLObject):
    class sqlmeta:
        table = "entries"
        defaultOrder = "-id"

    name = UnicodeCol(length=64, notNone=True)
    message = UnicodeCol(notNone=True)
    created = UnicodeCol(length=32, notNone=True, default=contract.now)

    def as_dict(self):
        return contract.Entry(self.id, self.name, self.message, self.created).as_dict()

    @property
    def location(self):
        return "/guestbook/%d" % self.id
