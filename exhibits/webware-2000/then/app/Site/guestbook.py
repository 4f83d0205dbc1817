# -*- coding: utf-8 -*-
import re

from SitePage import SitePage

import guestbook27
from guestbook27 import Invalid

store = guestbook27.Store()
NUMBER = re.compile(r'[0-9]{1,18}\Z')


class guestbook(SitePage):
	"""GET /guestbook lists, GET /guestbook/7 shows one entry, POST /guestbook signs."""

	methods = ('GET', 'HEAD', 'POST')
	takesExtraPath = True

	def writeHTML(self):
		extra = self.extraPath()
		if extra is None:
			self.writeError(404, u'there is nothing at this address')
		elif extra:
			self.writeEntry(extra[1:])
		else:
			try:
				limit, offset = guestbook27.check_paging(
					self.param('limit'), self.param('offset'))
			except Invalid as error:
				self.writeError(400, error.message, error.field)
				return
			entries, total = store.page(limit, offset)
			self.writeJSON({'entries': [e.as_dict() for e in entries], 'total': total})

	def writeEntry(self, number):
		entry = None
		if NUMBER.match(number):
			entry = store.get(int(number))
		if entry is None:
			self.writeError(404, u'there is no entry %s' % number)
		else:
			self.writeJSON(entry.as_dict())

	def respondToPost(self, trans):
		request = self.request()
		if request.extraURLPath():
			self.writeError(404, u'there is nothing at this address')
			return
		environ = request.environ()
		contentType = environ.get('CONTENT_TYPE', '')
		kind = guestbook27.content_kind(contentType)
		if kind is None:
			self.writeError(415, u'send application/json or application/x-www-form-urlencoded')
			return
		if kind == 'form' and not utf8Form(contentType):
			self.writeError(415, u'send the form as UTF-8')
			return
		if int(environ.get('CONTENT_LENGTH') or 0) > guestbook27.MAX_BODY:
			self.writeError(413, u'the body is over %d bytes' % guestbook27.MAX_BODY)
			return
		try:
			if kind == 'json':
				# WebKit read the body when it built the request: here it is again. A body
				# shorter than its Content-Length means the client hung up half-way (and
				# mod_webkit has already answered it): nothing is stored.
				stream = request.rawInput(rewind=True)
				body = stream and stream.read() or ''
				if len(body) != int(environ.get('CONTENT_LENGTH') or 0):
					raise Invalid(u'the body is shorter than its Content-Length')
				name, message = guestbook27.entry_from_json(body)
			else:
				name, message = guestbook27.check_entry(
					self.param('name'), self.param('message'))
		except Invalid as error:
			self.writeError(400, error.message, error.field)
			return
		try:
			entry = store.add(name, message)
		except guestbook27.Full:
			self.writeError(507, u"the guestbook's storage is full")
			return
		response = self.response()
		if kind == 'form':
			response.setHeader('Location', '/')
			self.writeText(303, 'text/plain; charset=utf-8', u'Signed: see the front page.\n')
		else:
			response.setHeader('Location', entry.location)
			self.writeJSON(entry.as_dict(), 201)


def utf8Form(contentType):
	"""A form declares no charset, or UTF-8."""
	for parameter in contentType.split(';')[1:]:
		key, _, value = parameter.partition('=')
		if key.strip().lower() == 'charset':
			return value.strip().strip('"').lower() in ('utf-8', 'utf8')
	return True
