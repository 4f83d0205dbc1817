<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{html(exhibit.title)}} ({{html(exhibit.id)}})</title>
<style>{{style}}</style>
</head>
<body>
<header>
<p class="era">{{html(exhibit.year)}} &middot; {{html(exhibit.id)}}</p>
<h1>{{html(exhibit.title)}}</h1>
<p>Served by {{html(exhibit.server)}}, through Bottle's SimpleTemplate.</p>
</header>
<h2>Sign the guestbook</h2>
<form method="post" action="/guestbook">
<label>Name <input name="name" maxlength="64" required></label>
<label>Message <textarea name="message" maxlength="1000" required></textarea></label>
<button type="submit">Sign</button>
</form>
<h2>Entries ({{total}})</h2>
<ul id="entries">
%for entry in entries:
<li><strong>{{html(entry.name)}}</strong>: {{html(entry.message)}} <span class="when">{{html(entry.created)}}</span></li>
%end
%if not entries:
<li>No entries yet: be the first to sign.</li>
%end
</ul>
</body>
</html>
