"""Reading articles: metadata of the real examples, JSONL, saved web pages, stdin, bad input."""

import io
import json
import sys
from pathlib import Path

import pytest

from quotes.articles import InputError, InputWarning, file_id, iso_date, parse_article_text, read_inputs
from quotes.models import Article, content_hash

EXAMPLES = Path(__file__).parent.parent / "examples"


def read(inputs, **kwargs) -> list[Article | InputError]:
    return list(read_inputs([str(item) for item in inputs], **kwargs))


def messages(results) -> list[str]:
    return [item.message() for item in results if isinstance(item, InputError)]


@pytest.fixture(scope="module")
def examples() -> dict[str, Article]:
    return {article.id[:3]: article for article in read([EXAMPLES])}


@pytest.mark.parametrize("number, expected", [
    ("000", {"title": None, "byline": None, "dateline": None, "outlet": None, "published": None}),
    ("001", {"title": "Russia offers to secure rebel evacuation from Syria's Aleppo",
             "byline": None, "dateline": None, "outlet": "AFP", "published": "2016-10-13"}),
    ("002", {"title": "Syrian rebels talk to U.S. about surrender, evacuation of Aleppo",
             "byline": None, "dateline": "Brussels •", "outlet": None, "published": None}),
    ("003", {"title": None, "byline": "Jack Stubbs and John Davison",
             "dateline": "MOSCOW/BEIRUT (Reuters) –", "outlet": "Reuters", "published": None}),
    ("004", {"title": "Russia Backs UN Envoy’s Plan To Escort Extremist Fighters Out Of Aleppo",
             "byline": "Laura Smith-Spark", "dateline": "WASHINGTON — (CNN)", "outlet": "CNN",
             "published": None}),
])
def test_example_metadata(examples, number, expected):
    article = examples[number]
    assert article.model_dump(include=set(expected)) == expected


@pytest.mark.parametrize("number, body_starts_with", [
    ("000", "The Russian military has offered"),
    ("001", "Russia said Thursday it was prepared"),  # after headline, "AFP , date" line, photo caption
    ("002", "Brussels • The United States"),
    ("003", "MOSCOW/BEIRUT (Reuters) – Russia said"),
    ("004", "WASHINGTON — (CNN) Russia is ready"),  # after the standfirst and "By Laura Smith-Spark"
])
def test_example_body_start(examples, number, body_starts_with):
    article = examples[number]
    assert article.text[article.body_start:].startswith(body_starts_with)
    if article.dateline:
        assert article.text[article.body_start:].startswith(article.dateline)
    if article.byline:
        assert article.text.index(article.byline) < article.body_start


@pytest.mark.parametrize("number, boilerplate_starts_with, body_ends_with", [
    ("000", None, "quoted the Russian Defense Ministry as saying."),
    ("001", "Short link:", "targeting both the IS group and Kurdish fighters."),
    ("002", None, "is different from previous plans."),
    ("003", "(Additonal reporting by Arshad Mohammed", "de Mistura said on Thursday."),
    ("004", "The-CNN-Wire ™ & © 2016 Cable News Network", "for the sake of killing 900 al-Nusra fighters?” he asked."),
])
def test_example_body_end(examples, number, boilerplate_starts_with, body_ends_with):
    article = examples[number]
    body = article.text[article.body_start:article.body_end]
    assert body.rstrip().endswith(body_ends_with)
    if boilerplate_starts_with is None:
        assert article.body_end is None
    else:
        assert article.text[article.body_end:].startswith(boilerplate_starts_with)


def test_example_text_preserved_byte_for_byte(examples):
    for path in sorted(EXAMPLES.glob("*.txt")):
        article = examples[path.name[:3]]
        assert article.id == file_id(path, EXAMPLES) == path.stem
        assert article.source == str(path)
        assert article.text.encode("utf-8") == path.read_bytes()


def test_crlf_text_kept_and_offsets_index_it(tmp_path):
    text = ("Rebels agree to leave Aleppo\r\nBy Jane Doe\r\n"
            "BEIRUT, March 6 (Reuters) - Rebels said on Tuesday they would leave.\r\n"
            "\"We have no choice,\" a commander said, speaking by telephone from the city.\r\n"
            "(Reporting by Jane Doe; Editing by John Roe)\r\n")
    (tmp_path / "crlf.txt").write_bytes(text.encode("utf-8"))
    [article] = read([tmp_path / "crlf.txt"])
    assert article.text == text
    assert (article.title, article.byline, article.outlet) == ("Rebels agree to leave Aleppo", "Jane Doe", "Reuters")
    assert article.dateline == "BEIRUT, March 6 (Reuters) -"
    assert text[article.body_start:].startswith(article.dateline)
    assert text[article.body_end:] == "(Reporting by Jane Doe; Editing by John Roe)\r\n"


@pytest.mark.parametrize("text, expected", [
    ("WASHINGTON (AP) — The president said on Monday he would veto the bill, aides said.\nMore text here.",
     {"dateline": "WASHINGTON (AP) —", "outlet": "AP", "title": None}),
    ("Headline here\nMarch 6, 2018\nBEIRUT, March 6 (Reuters) - Rebels said they would leave the city.\n"
     "(Reporting by Tom Perry in Beirut and Ellen Francis in Damascus; Editing by Peter Graff)",
     {"title": "Headline here", "published": "2018-03-06", "dateline": "BEIRUT, March 6 (Reuters) -",
      "outlet": "Reuters", "byline": "Tom Perry and Ellen Francis"}),
    ("# Rebels leave Aleppo\n\nBEIRUT (AFP) - Buses carried the last fighters out on Thursday.\n",
     {"title": "Rebels leave Aleppo", "dateline": "BEIRUT (AFP) -", "outlet": "AFP"}),
    ("By Laura Smith-Spark, CNN\nLONDON — Officials said the talks would resume next week in Geneva.",
     {"byline": "Laura Smith-Spark", "outlet": "CNN", "dateline": "LONDON —"}),
    ("The talks failed, officials said on Monday, and no date was set for a new round.\nBy the end of the day, "
     "nothing had changed.",
     {"title": None, "byline": None, "dateline": None, "outlet": None}),
])
def test_metadata_rules(text, expected):
    article = parse_article_text(text, id="a")
    assert article.text == text
    assert article.model_dump(include=set(expected)) == expected


def test_boilerplate_never_cuts_the_body():
    long_line = "The minister said the talks would continue, and officials expected a result within days. " * 2
    text = f"{long_line}\nSign up for our alerts\n{long_line}\nCopyright lawyers said the case {long_line}"
    article = parse_article_text(text, id="a")
    assert article.body_end is None
    tail = f"{long_line}\n© 2018 Example Wire\nLocal Weather\nNewsletter\nMissed a Show? Listen Here\n"
    article = parse_article_text(tail, id="b")
    assert tail[article.body_end:].startswith("© 2018 Example Wire")


def test_known_fields_win(tmp_path):
    article = parse_article_text("By Jack Stubbs\nMOSCOW (Reuters) - Russia said so on Friday.", id="x",
                                 outlet="Example Wire", byline=None, published="2016-10-07T10:00:00Z")
    assert (article.outlet, article.byline, article.published) == ("Example Wire", "Jack Stubbs", "2016-10-07")
    assert article.dateline == "MOSCOW (Reuters) -"


@pytest.mark.parametrize("value, expected", [
    ("March 6, 2018", "2018-03-06"), ("6 March 2018", "2018-03-06"), ("Mar. 6, 2018", "2018-03-06"),
    ("Thursday 13 Oct 2016", "2016-10-13"), ("2018-03-06T10:00:00Z", "2018-03-06"),
    ("Sept 1st, 2019", "2019-09-01"), ("February 30, 2018", None), ("on Tuesday", None), ("10/13/2016", None),
])
def test_iso_date(value, expected):
    assert iso_date(value) == expected


def test_jsonl_fields_and_offsets(tmp_path):
    text = ("Rebels agree to leave\nDAMASCUS (Reuters) - \"We are leaving,\" a rebel commander said.\n"
            "(Reporting by Tom Perry; Editing by Peter Graff)")
    records = [
        {"id": "r1", "text": text, "title": "Given title", "url": "https://example.com/r1",
         "date": "Tue, 06 Mar 2018 10:00:00 GMT", "publisher": "Example Wire", "authors": ["Ann Lee", "Bo Kim"]},
        {"text": "  An article without metadata, kept exactly as given.  \n", "published": "2017-01-02",
         "outlet": "Daily", "authors": "Cy Young"},
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(record) for record in records) + "\n\n", encoding="utf-8")
    first, second = read([path])
    assert first.model_dump(exclude={"text", "body_start", "body_end"}) == {
        "id": "r1", "title": "Given title", "outlet": "Example Wire", "byline": "Ann Lee and Bo Kim",
        "dateline": "DAMASCUS (Reuters) -", "published": "2018-03-06", "url": "https://example.com/r1",
        "source": f"{path}:1"}
    assert first.text == text
    assert text[first.body_start:].startswith("DAMASCUS (Reuters) -")
    assert text[first.body_end:] == "(Reporting by Tom Perry; Editing by Peter Graff)"
    assert (second.id, second.text, second.published, second.outlet, second.byline) == (
        f"{file_id(path)}-2", records[1]["text"], "2017-01-02", "Daily", "Cy Young")


PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Russia backs envoy plan | Example News</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Doe; John Roe">
<meta property="article:published_time" content="2016-10-07T10:00:00Z">
<link rel="canonical" href="https://news.example.com/2016/10/07/russia-envoy">
<script>var tracking = "HEAD_SCRIPT_TEXT";</script>
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Russia backs envoy plan</h1>
<p>MOSCOW (Reuters) - Russia is ready to persuade the Syrian government to agree to a UN proposal,
Foreign Minister Sergei Lavrov said on Friday.</p>
<p>"We are ready to support this approach for the sake of Aleppo," Lavrov told reporters in Moscow.</p>
<script>document.write("BODY_SCRIPT_TEXT");</script>
<p>The proposal was made by UN Special Envoy Staffan de Mistura earlier this week, diplomats said.</p>
</article><footer>© 2016 Example News. All rights reserved.</footer></body></html>"""


def test_html_page_via_trafilatura_without_network(tmp_path, no_network):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    [article] = read([tmp_path / "page.html"])
    assert "SCRIPT_TEXT" not in article.text and "Home" not in article.text
    assert "Lavrov told reporters in Moscow" in article.text
    assert article.model_dump(exclude={"text", "body_start", "body_end"}) == {
        "id": file_id(tmp_path / "page.html"), "title": "Russia backs envoy plan", "outlet": "Example News",
        "byline": "Jane Doe and John Roe", "dateline": "MOSCOW (Reuters) -", "published": "2016-10-07",
        "url": "https://news.example.com/2016/10/07/russia-envoy", "source": str(tmp_path / "page.html")}
    assert article.text[article.body_start:].startswith("MOSCOW (Reuters) -")


def test_stdin(monkeypatch):
    data = "By Jack Stubbs\nMOSCOW (Reuters) - Russia said on Friday it would veto the draft.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode("utf-8"))))
    [article] = read(["-"])
    assert (article.id, article.source, article.text) == (f"stdin-{content_hash(data)[:16]}", "-", data)
    assert article.byline == "Jack Stubbs"


def test_directory_recursive_sorted_and_lazy(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "inner.md").write_text("Inner article text.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First article text.", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Last article text.", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")  # unsupported: skipped silently in a directory
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    results = read_inputs([str(tmp_path)])
    assert next(results).id == "a"
    assert next(results).id == "b/inner"
    (tmp_path / "c.txt").unlink()  # files are read one at a time, when reached
    assert [item.message() for item in results] == [f"{tmp_path / 'c.txt'}: no such file or directory"]


def test_bad_input_corpus(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_bytes(b" \n\t\n")
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 2)
    (tmp_path / "legacy.txt").write_bytes("“Nous resterons,” said the café owner, naïvely.\n".encode("cp1252"))
    (tmp_path / "garbage.txt").write_bytes(bytes((i * 37 + 11) % 128 + 128 for i in range(600)))
    (tmp_path / "large.txt").write_bytes(b"word " * 500)
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "shell.html").write_text("<html><head><title>Nothing</title></head>"
                                         "<body><script>var a = 1;</script></body></html>", encoding="utf-8")
    (tmp_path / "nothing-here").mkdir()
    (tmp_path / "nothing-here" / "skip.csv").write_text("a,b\n", encoding="utf-8")
    good = json.dumps({"id": "good", "text": "A fine article."})
    (tmp_path / "batch.jsonl").write_text(
        f'{good}\n{{"id": "cut", "text": "A record cut off in the midd\n{{"id": "no-text"}}\n'
        f'{{"id": "n", "text": 42}}\n["a list"]\n{good.replace("good", "good-2")}', encoding="utf-8")
    names = ["empty.txt", "blank.md", "image.txt", "legacy.txt", "garbage.txt", "missing.txt", "large.txt",
             "report.pdf", "shell.html", "nothing-here", "batch.jsonl"]
    results = read([tmp_path / name for name in names], max_bytes=1000)

    assert [item.id for item in results if isinstance(item, Article)] == [
        file_id(tmp_path / "legacy.txt"), "good", "good-2"]
    legacy = next(item for item in results if isinstance(item, Article))
    assert legacy.text == "“Nous resterons,” said the café owner, naïvely.\n"
    assert messages(results) == [line.format(tmp_path) for line in [
        "{}/empty.txt: empty file",
        "{}/blank.md: empty file",
        "{}/image.txt: binary file (not text)",
        "{}/garbage.txt: not UTF-8 and no encoding could be detected",
        "{}/missing.txt: no such file or directory",
        "{}/large.txt: file too large (2.5 kB > 1 kB limit)",
        "{}/report.pdf: unsupported file type '.pdf' (expected .txt, .md, .html, .htm or .jsonl)",
        "{}/shell.html: no article text found in the page",
        "{}/nothing-here: no readable articles (expected .txt, .md, .html, .htm or .jsonl)",
        "{}/batch.jsonl:2: invalid JSON (Unterminated string starting at column 23)",
        "{}/batch.jsonl:3: missing 'text' field",
        "{}/batch.jsonl:4: 'text' field is not a string (got int)",
        "{}/batch.jsonl:5: expected a JSON object, got list",
    ]]
    assert all("\n" not in message for message in messages(results))


def test_oversized_jsonl_line_skipped(tmp_path):
    path = tmp_path / "big.jsonl"
    long_record = json.dumps({"id": "long", "text": "word " * 400})
    path.write_text(f"{long_record}\n" + json.dumps({"id": "short", "text": "Short one."}) + "\n", encoding="utf-8")
    results = read([path], max_bytes=1000)
    assert messages(results) == [f"{path}:1: line too large (more than 1 kB limit)"]
    assert [item.id for item in results if isinstance(item, Article)] == ["short"]


def test_stdin_errors(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"   \n")))
    assert messages(read(["-"])) == ["-: empty file"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 2000)))
    assert messages(read(["-"], max_bytes=1000)) == ["-: input too large (more than 1 kB limit)"]


def test_unreachable_url_is_one_clear_error():
    url = "http://127.0.0.1:9/article.html"  # nothing listens on the discard port
    [item] = list(read_inputs([url]))
    assert isinstance(item, InputError)
    assert item.message().startswith(f"{url}: could not fetch the page")


def test_same_name_in_two_folders_is_two_ids_the_same_file_always_one(tmp_path, monkeypatch):
    """Ids keep the folders below the one named, so they do not depend on where the corpus lies;
    two files named directly that would share an id are an error, never a silent overwrite."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "news.txt").write_text(f"News from {folder}.", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a" / "news.txt")
    assert [article.id for article in read([tmp_path]) if article.source.endswith("news.txt")] == ["a/news", "b/news"]
    first, clash = read([tmp_path / "a" / "news.txt", tmp_path / "b" / "news.txt"])
    assert first.id == "news"
    assert clash.message() == (f"{tmp_path / 'b' / 'news.txt'}: id 'news' was already given to a different "
                               f"text ({tmp_path / 'a' / 'news.txt'}); skipped")
    monkeypatch.chdir(tmp_path)  # the same file named another way: the same id
    assert {read([name])[0].id for name in ("a/news.txt", "./b/../a/news.txt")} == {"news"}


def test_an_id_given_to_two_texts_is_an_error_the_same_text_twice_a_warning(tmp_path):
    path = tmp_path / "feed.jsonl"
    records = [{"id": "x", "text": "First text."}, {"id": "x", "text": "Another text."},
               {"id": "y", "text": "Third."}, {"id": "x", "text": "First text."}]
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    results = read([path])
    assert [(item.id, item.text) for item in results if isinstance(item, Article)] == [
        ("x", "First text."), ("y", "Third.")]
    assert messages(results) == [f"{path}:2: id 'x' was already given to a different text ({path}:1); skipped"]
    assert [item.message() for item in results if isinstance(item, InputWarning)] == [
        f"{path}:4: same id and text as {path}:1; read once"]


def test_a_published_value_that_is_no_date_is_a_warning_and_null(tmp_path):
    path = tmp_path / "dated.jsonl"
    path.write_text(json.dumps({"id": "d", "text": "Text.", "published": "not a date"}) + "\n"
                    + json.dumps({"id": "e", "text": "Text.", "published": "March 6, 2018"}) + "\n")
    warning, undated, dated = read([path])
    assert warning.message() == f"{path}:1: published 'not a date' is not a date; stored as null"
    assert (undated.published, dated.published) == (None, "2018-03-06")


def test_what_is_not_a_regular_file_is_refused_without_waiting(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would wait for a writer forever
    os.mkfifo(tmp_path / "pipe.jsonl")
    (tmp_path / "good.txt").write_text("A fine article.", encoding="utf-8")
    results = read([tmp_path / "pipe.txt", tmp_path, tmp_path / "pipe.jsonl"])
    assert messages(results) == [f"{tmp_path}/pipe.txt: not a regular file (a FIFO)",
                                 f"{tmp_path}/pipe.jsonl: not a regular file (a FIFO)",
                                 f"{tmp_path}/pipe.txt: not a regular file (a FIFO)",
                                 f"{tmp_path}/pipe.jsonl: not a regular file (a FIFO)"]
    assert [item.text for item in results if isinstance(item, Article)] == ["A fine article."]


def test_a_tree_deeper_than_the_recursion_limit_is_walked(deep_tree):
    (deep_tree[-1] / "deep.txt").write_text("The deepest article.", encoding="utf-8")
    [article] = read([deep_tree[0]])
    assert article.text == "The deepest article."


def test_names_are_printed_escaped_on_one_line(tmp_path):
    name = "bad\nerror: forged.txt"
    (tmp_path / name).write_text("")
    [error] = messages(read([tmp_path / name]))
    assert error == f"{tmp_path}/bad\\nerror: forged.txt: empty file"
    assert "\n" not in error


@pytest.mark.parametrize("depth", [300, 1500])
def test_a_page_nested_deeper_than_the_parser_default_is_read(tmp_path, depth):
    paragraph = "<p>" + "The minister said the talks would go on for another week. " * 5 + "</p>"
    page = f"<html><body>{'<div>' * depth}{paragraph}{'</div>' * depth}</body></html>"
    (tmp_path / "deep.html").write_text(page, encoding="utf-8")
    [article] = read([tmp_path / "deep.html"])
    assert "talks would go on for another week" in article.text


def test_a_page_nested_past_every_limit_says_so(tmp_path):
    page = f"<html><body>{'<div>' * 2100}<p>Text.</p>{'</div>' * 2100}</body></html>"
    (tmp_path / "deeper.html").write_text(page, encoding="utf-8")
    assert messages(read([tmp_path / "deeper.html"])) == [
        f"{tmp_path}/deeper.html: page nested too deeply (more than 2048 levels of elements)"]
