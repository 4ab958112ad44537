"""Private contact data on a page: an author's email is kept for the archivist, never shown.

Old pages put the writer's address in a `mailto:` link, a header line or a feedback plea. We
collect it into `work.contacts` and take it out of every public text of the work; the site's
own addresses (webmaster, admin) are nobody's contact.
"""

from __future__ import annotations

import re

from .model import Block, Contact, ParsedWork, html_to_text

_EMAIL = re.compile(r"(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SITE_ADDRESS = re.compile(
    r"webmaster|webmistress|admin|abuse|support|noreply|no-reply|^info$|contact us|archivist", re.I
)
_EMAIL_LEFTOVER = re.compile(r"[(<\[]\s*(?:mailto:)?\s*[)>\]]|&lt;\s*&gt;")


def mailto_contacts(body) -> list[Contact]:
    contacts = []
    for a in body.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        if href.lower().startswith("mailto:"):
            address = href[7:].split("?")[0].strip()
            label = " ".join(a.text().split())
            if _SITE_ADDRESS.search(address.split("@")[0]) or _SITE_ADDRESS.search(label):
                continue  # the site's own address, not the writer's
            if "@" in address and Contact("email", address) not in contacts:
                contacts.append(Contact("email", address))
    return contacts


_CONTACT_LABEL = re.compile(
    r"^\W*(?:e-?mail(?:\s+me)?|mail(?:\s+me)?|write\s+(?:to\s+)?me|contact(?:\s+me)?|feedback|here|me)?\W*$",
    re.I,
)


def drop_mailto_labels(body) -> None:
    """`By Jane Doe <a href="mailto:…">email</a>`: the link's label or address is not part of the
    byline. Call after `mailto_contacts` has kept the address; a link whose text is a name stays."""
    for a in body.css("a[href]"):
        href = (a.attributes.get("href") or "").strip().lower()
        if not href.startswith("mailto:"):
            continue
        label = " ".join(a.text().split())
        if _CONTACT_LABEL.match(label):  # an address as the label is scrubbed with its line later
            a.decompose()


def _scrub_blocks(blocks: list[Block], work: ParsedWork) -> list[Block]:
    out = []
    for block in blocks:
        if "@" not in block.html or not _EMAIL.search(block.html):
            out.append(block)
            continue
        for address in _EMAIL.findall(block.html):
            contact = Contact("email", address.removeprefix("mailto:"))
            if contact not in work.contacts and not _SITE_ADDRESS.search(
                contact.value.split("@")[0]
            ):
                work.contacts.append(contact)
        markup = _EMAIL_LEFTOVER.sub("", _EMAIL.sub("", block.html))
        markup = re.sub(r"(?:\s*<br>\s*)+$|^(?:\s*<br>\s*)+", "", " ".join(markup.split()))
        text = html_to_text(markup).strip(" :;,-–—\n")
        # A line that was only "Email: x@y" (or "Feedback to x@y") has nothing left to keep.
        if len(text.split()) <= 3 and text.lower().rstrip(":").split(" ")[0] in (
            "email",
            "e-mail",
            "mail",
            "contact",
            "feedback",
            "comments",
            "",
        ):
            continue
        out.append(Block(kind=block.kind, html=markup, align=block.align, level=block.level))
    return out


def scrub_emails(work: ParsedWork) -> None:
    """Email addresses belong in private contacts, never in any text of the work."""
    work.summary = _scrub_blocks(work.summary, work)
    work.notes = _scrub_blocks(work.notes, work)
    work.end_notes = _scrub_blocks(work.end_notes, work)
    for chapter in work.chapters:
        for name in ("blocks", "epigraph", "summary", "notes", "end_notes"):
            setattr(chapter, name, _scrub_blocks(getattr(chapter, name), work))
