<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{exhibit.title}} ({{exhibit.id}})</title>
<style>{{!style}}</style>
</head>
<body>
<header>
<p class="era">{{exhibit.year}} &middot; {{exhibit.id}}</p>
<h1>{{exhibit.title}}</h1>
<p>Served by {{exhibit.server}}, through Bottle's SimpleTemplate.</p>
</header>
<h2>Sign the guestbook</h2>
<form method="post" action="/guestbook">
<label>Name <input name="name" maxlength="64" required></label>
<label>Message <textarea name="message" maxlength="1000" required></textarea></label>
<button type="submit">Sign</button>
</form>
<h2>Entries ({{total}})</h2>
<ul id="entries">
% for entry in entries:
<li><strong>{{entry.name}}</strong>: {{entry.message}} <span class="when">{{entry.created}}</span></li>
% end
% if not entries:
<li>No entries yet: be the first to sign.</li>
% end
</ul>
</body>
</html>
