"""The page scripts share one module (static/js/qa.js) for the CSRF token, JSON requests and
polling, and hold no visible word of their own: every string a person sees comes from the
page's translated strings (data attributes of an i18n box the template renders).

These read the files as text: they guard the shape that lets a translator reach every word."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

JS = Path(settings.BASE_DIR) / "static" / "js"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
PAGE_SCRIPTS = sorted(p for p in JS.glob("*.js") if p.name != "qa.js")
LITERAL = re.compile(r"""(?<![\w$])(["'`])((?:\\.|(?!\1).)*)\1""")


def code_of(path):
    """The script without its comments, so a docstring-like comment is not taken for a visible string."""
    text = path.read_text()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"(?m)(?<![:\"'])//.*$", "", text)


@pytest.mark.parametrize("path", PAGE_SCRIPTS, ids=lambda p: p.name)
def test_no_page_script_holds_a_sentence_of_its_own(path):
    sentences = [m.group(2) for m in LITERAL.finditer(code_of(path))
                 if m.group(2) != "use strict" and re.search(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}", m.group(2))]
    assert sentences == [], f"{path.name} shows words that no translator can reach"


@pytest.mark.parametrize("path", PAGE_SCRIPTS, ids=lambda p: p.name)
def test_the_csrf_token_and_polling_are_written_once(path):
    code = code_of(path)
    assert "document.cookie" not in code, "read the token with QA.csrfToken"
    assert not re.search(r"name=\W?csrfmiddlewaretoken", code), "read the token with QA.csrfToken"
    assert not re.search(r"setTimeout\(\s*poll", code), "poll with QA.poll"


def i18n_keys(template_name):
    """camelCase names of the strings a template (with what it includes) gives its scripts."""
    source = (TEMPLATES / template_name).read_text()
    for include in re.findall(r"""{%\s*include\s+["']([^"']+)["']""", source):
        source += (TEMPLATES / include).read_text()
    keys = set()
    for box in re.findall(r"<div hidden (?:id=\"i18n\"|data-i18n)(.*?)>", source, flags=re.S):
        for name in re.findall(r"data-([a-z0-9-]+)=", box):
            keys.add(re.sub(r"-([a-z0-9])", lambda m: m.group(1).upper(), name))
    return keys


def scripts_of(template_name):
    return re.findall(r"""{%\s*static\s+'js/([\w-]+\.js)'\s*%}""", (TEMPLATES / template_name).read_text())


PAGES = sorted({str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")
                if any(name != "qa.js" for name in scripts_of(str(p.relative_to(TEMPLATES))))})


@pytest.mark.parametrize("template_name", PAGES)
def test_every_string_a_script_asks_for_is_on_its_page(template_name):
    engines["django"].get_template(template_name)  # still a valid template
    keys = i18n_keys(template_name)
    for script in scripts_of(template_name):
        wanted = set(re.findall(r"\bt\.([a-zA-Z]\w*)", code_of(JS / script)))
        assert wanted <= keys, f"{template_name} lacks strings for {script}: {sorted(wanted - keys)}"


def test_the_shared_module_is_loaded_before_any_page_script():
    base = (TEMPLATES / "base.html").read_text()
    assert base.index("js/qa.js") < base.index("{% block scripts %}")
