"""The Guestbook Product. At startup Zope imports every package in Products and calls its
initialize(context): registerClass makes "Guestbook" a meta type that the ZMI's add list
offers, with the form and the constructor that add one to a folder."""

import Guestbook


def initialize(context):
    context.registerClass(
        Guestbook.Guestbook,
        permission='Add Guestbooks',
        constructors=(Guestbook.manage_addGuestbookForm, Guestbook.manage_addGuestbook),
        )
