"""Helpers for tests of the shared workbench: a logged-in HTTP client, and the plan form as a browser sends it."""
import re
from html.parser import HTMLParser


class _Form(HTMLParser):
    """The named inputs and text boxes of the page's #plan-form, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.fields, self.inside, self.box = [], False, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "plan-form":
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "radio", "button", "submit"):
            self.fields.append([a["name"], a.get("value", "")])
        if tag == "textarea" and a.get("name"):
            self.box = [a["name"], ""]
            self.fields.append(self.box)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.box = None
        if tag == "form":
            self.inside = False

    def handle_data(self, data):
        if self.box is not None:
            self.box[1] += data


def plan_form(html: str) -> dict:
    parser = _Form()
    parser.feed(html)
    # a browser drops the one newline that follows <textarea>
    return {name: value[1:] if value.startswith("\n") else value for name, value in parser.fields}


def csrf(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]*)"', html).group(1)


def login(client, name, password):
    """Log *client* in (a Starlette TestClient or an httpx.Client); the response of the login post."""
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token},
                       follow_redirects=False)


def save(client, plan, tab, changes, page=None):
    """Open *plan*'s *tab* (or use the *page* already open), change fields, press 保存; the response."""
    html = page if page is not None else client.get(f"/p/{plan}?tab={tab}").text
    form = plan_form(html)
    for name, value in changes.items():
        assert name in form, name
        form[name] = value
    return client.post(f"/p/{plan}/save", data=form, headers={"X-CSRF-Token": csrf(html), "HX-Request": "true"})
