# A real newsreader library against Keep: python's nntplib lists groups, reads overview and
# articles, and posts. Prints one JSON object for the test to check. Usage: PORT USER PASSWORD GROUP
import io
import json
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)
import nntplib  # noqa: E402

port, user, password, group = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
out = {}
with nntplib.NNTP("127.0.0.1", int(port), user=user, password=password, readermode=True, timeout=20) as s:
    out["welcome"] = s.getwelcome()
    out["caps"] = sorted(s.getcapabilities().keys())
    _, groups = s.list()
    out["groups"] = [g.group for g in groups]
    _, descs = s.descriptions("keep.*")
    out["descriptions"] = descs
    _, count, first, last, name = s.group(group)
    out["group"] = [count, first, last, name]
    _, overviews = s.over((first, last))
    out["overview"] = [
        {"num": num, "subject": nntplib.decode_header(o["subject"]), "from": o["from"], "message-id": o["message-id"],
         "bytes": o[":bytes"], "lines": o[":lines"], "references": o["references"]}
        for num, o in overviews
    ]
    _, info = s.article(first)
    out["article"] = {"number": info.number, "message_id": info.message_id, "lines": [l.decode("utf-8", "replace") for l in info.lines]}
    _, info = s.body(overviews[-1][1]["message-id"])
    out["body_by_id"] = [l.decode("utf-8", "replace") for l in info.lines]
    article = (
        "From: Alice <alice@keep.test>\r\n"
        f"Newsgroups: {group}\r\n"
        "Subject: posted by nntplib\r\n"
        f"References: {overviews[0][1]['message-id']}\r\n"
        "\r\n"
        "a body from python\r\n"
        ".a line that starts with a dot\r\n"
    ).encode()
    out["post"] = s.post(io.BytesIO(article))
    _, count2, first2, last2, _ = s.group(group)
    out["after_post"] = [count2, first2, last2]
    _, info = s.article(last2)
    out["posted_article"] = [l.decode("utf-8", "replace") for l in info.lines]
    _, hdrs = s.xhdr("subject", f"{first2}-{last2}")
    out["xhdr"] = hdrs
    out["date"] = s.date()[1].isoformat()
print(json.dumps(out))
