"""The audit log's one write path: `record(by, action, target, reason)`.

Every archivist action calls it inside its own transaction, so an action and its entry land
together or not at all. Targets are any model object; its kind and label are kept as text.
"""

from __future__ import annotations

from .models import AuditEntry


def label_of(target) -> str:
    """A short, human label: a work's title, `Chapter 2 of "Title"`, `comment 7 on "Title"`."""
    kind = target._meta.model_name
    if kind == "chapter":
        return f'Chapter {target.position} of "{target.work.title}"'[:300]
    if kind == "comment":
        return f'comment {target.pk} on "{target.work.title}" by {target.author_name}'[:300]
    if kind == "user":
        return target.get_username()
    return str(target)[:300]


def record(by, action: str, target, reason: str = "") -> AuditEntry:
    """Log that `by` did `action` (`hid`, `restored`, `resolved report`…) to `target`, and why."""
    return AuditEntry.objects.create(
        actor=by if by is not None and by.is_authenticated else None,
        actor_name=by.get_username() if by is not None and by.is_authenticated else "(system)",
        action=action,
        target_kind=target._meta.model_name,
        target_id=target.pk,
        target_label=label_of(target),
        reason=reason,
    )
