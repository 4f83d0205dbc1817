"""A Zope Product, as in 1999: Zope imports Products.* at startup and calls initialize."""

from typing import Any

from Products.Guestbook.Guestbook import Guestbook, manage_addGuestbook


def initialize(context: Any) -> None:
    # Makes "Guestbook" a meta type Zope knows, with its constructor.
    context.registerClass(Guestbook, permission="Add Guestbook",
                          constructors=(manage_addGuestbook,))
