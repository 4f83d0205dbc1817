<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:py="http://purl.org/kid/ns#">
<head>
<title>${exhibit.title} (${exhibit.id})</title>
<style>${style}</style>
</head>
<body>
<header>
<p class="era">${exhibit.year} &middot; ${exhibit.id}</p>
<h1>${exhibit.title}</h1>
<p>Served by ${exhibit.server}.</p>
</header>
<h2>Sign the guestbook</h2>
<form method="post" action="/guestbook">
<label>Name <input name="name" maxlength="64" required="required"/></label>
<label>Message <textarea name="message" maxlength="1000" required="required"></textarea></label>
<button type="submit">Sign</button>
</form>
<h2>Entries (${total})</h2>
<ul id="entries">
<li py:for="entry in entries"><strong>${entry.name}</strong>: ${entry.message}
<span class="when">${entry.created}</span></li>
<li py:if="not entries">No entries yet: be the first to sign.</li>
</ul>
</body>
</html>
