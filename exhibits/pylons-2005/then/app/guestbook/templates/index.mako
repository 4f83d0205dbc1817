## The front page. Every ${...} is HTML-escaped: environment.py gives the TemplateLookup
## default_filters=['escape'] (webhelpers.html's escape), as paster create -t pylons did.
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${c.exhibit.title} (${c.exhibit.id})</title>
<style>${c.style | n}</style>
</head>
<body>
<header>
<p class="era">${c.exhibit.year} &middot; ${c.exhibit.id}</p>
<h1>${c.exhibit.title}</h1>
<p>Served by ${c.exhibit.server}.</p>
</header>
<h2>Sign the guestbook</h2>
<form method="post" action="/guestbook">
<label>Name <input name="name" maxlength="64" required></label>
<label>Message <textarea name="message" maxlength="1000" required></textarea></label>
<button type="submit">Sign</button>
</form>
<h2>Entries (${c.total})</h2>
<ul id="entries">
% for entry in c.entries:
<li><strong>${entry.name}</strong>: ${entry.message} <span class="when">${entry.created}</span></li>
% endfor
% if not c.entries:
<li>No entries yet: be the first to sign.</li>
% endif
</ul>
</body>
</html>
