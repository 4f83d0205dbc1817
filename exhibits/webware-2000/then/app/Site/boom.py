from SitePage import SitePage


class boom(SitePage):

	def writeHTML(self):
		raise RuntimeError('boom: the servlet raised on purpose')
