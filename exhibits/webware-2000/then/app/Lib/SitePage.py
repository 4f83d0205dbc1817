# -*- coding: utf-8 -*-
"""The site's base servlet: the HTTP methods each servlet takes, extra path info only where
a servlet asks for it, and the guestbook's JSON answers."""

import httplib

from WebKit.Page import Page

import guestbook27

REASONS = dict(httplib.responses)
REASONS[507] = 'Insufficient Storage' # not in 2.7's table


class SitePage(Page):

	methods = ('GET', 'HEAD')
	takesExtraPath = False

	def awake(self, trans):
		Page.awake(self, trans)
		self.response().setHeader('Content-type', 'text/html; charset=utf-8')

	def respond(self, trans):
		method = self.request().method()
		if method not in self.methods:
			# HTTPServlet would answer 501 for a method without a respondToX.
			self.response().setHeader('Allow', ', '.join(self.methods))
			self.writeError(405, u'%s does not take %s'
				% (self.request().urlPath(), guestbook27.latin1(method)))
		elif self.request().extraURLPath() and not self.takesExtraPath:
			# With ExtraPathInfo on, /index/nosuch would reach index.psp.
			self.writeError(404, u'there is nothing at this address')
		else:
			Page.respond(self, trans)

	## Helpers ##

	def extraPath(self):
		"""The extra path info after the servlet's name, as unicode, or None when it is
		not UTF-8."""
		try:
			return guestbook27.utf8(self.request().extraURLPath())
		except UnicodeDecodeError:
			return None

	def param(self, name):
		"""A form or query field as unicode (the first, when it came twice), or None;
		guestbook27.Invalid when it is not UTF-8."""
		value = self.request().field(name, None)
		if isinstance(value, list):
			value = value[0]
		if value is None or isinstance(value, unicode):
			return value
		try:
			return guestbook27.utf8(str(value))
		except UnicodeDecodeError:
			raise guestbook27.Invalid(u'%s must be UTF-8 text' % name, name)

	def h(self, text):
		"""Text for HTML: escaped, and encoded as the page is (response.write takes str)."""
		return guestbook27.escape(text).encode('utf-8')

	def setStatus(self, code):
		self.response().setStatus(code, REASONS[code])

	def writeText(self, code, contentType, text):
		self.setStatus(code)
		self.response().setHeader('Content-type', contentType)
		self.write(text.encode('utf-8'))

	def writeJSON(self, document, code=200):
		self.writeText(code, 'application/json', guestbook27.json_text(document))

	def writeError(self, code, message, field=None):
		self.writeText(code, 'application/json', guestbook27.error_body(message, field))
