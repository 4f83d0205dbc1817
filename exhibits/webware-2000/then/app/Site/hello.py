# -*- coding: utf-8 -*-
from SitePage import SitePage

import guestbook27


class hello(SitePage):
	"""/hello, /hello?name=Zoe and /hello/Zoe (the name as extra path info)."""

	takesExtraPath = True

	def writeHTML(self):
		name = self.extraPath()
		if name is None or u'/' in name[1:]:
			self.writeError(404, u'there is nothing at this address')
			return
		try:
			name = name[1:] or self.param('name') or u'World'
		except guestbook27.Invalid as error:
			self.writeError(400, error.message, error.field)
			return
		self.writeText(200, 'text/plain; charset=utf-8', u'Hello, %s!' % name)
