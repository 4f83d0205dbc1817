import time

from SitePage import SitePage

import guestbook27


class slow(SitePage):
	"""One of the AppServer's threads sleeps; the others keep serving."""

	def writeHTML(self):
		try:
			ms = guestbook27.slow_param(self.param('ms'))
		except guestbook27.Invalid as error:
			self.writeError(400, error.message, error.field)
			return
		time.sleep(ms / 1000.0)
		document = guestbook27.process()
		document['ms'] = ms
		self.writeJSON(document)
