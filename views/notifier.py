"""Everything the bot tells people on its own initiative (cards, alerts, owner updates),
rendered in each reader's language and queued in the outbox inside the caller's
transaction; the sender delivers it. No owner name or phone ever goes to a group (docs/rules.md).

`Notifier` is the one entry point handlers, the clock and the sender use; it is composed
of focused parts, each a module of its own:

- views/notices.py: what all parts share: names, times, the task card's text, each
  reader's language, queueing (`say`, `queue`, `tell`), photos, the managers' chat on
  duty (`alert`) and who holds which rung of the ladder (`people`, `roles_of`).
- views/job_notices.py: the task card in the contractor's group (`dispatch`,
  `mark_card`, `mirror`, the unassigned alert), the engineer's details and job panel,
  and what the owner is asked while the job runs (visit time, new date, Fixed / Not
  fixed, a price).
- views/alert_notices.py: the managers' side: escalation up the ladder, the digest,
  repeat repairs, unhappy owners, and staff chats Telegram refuses (the ChatTroubles of
  delivery/chat_troubles.py).
- views/desk_notices.py: the front desk: the owner a report was filed for, the Verify task
  of a finished public-area repair, and the managers' alert when it is not checked in time.
- views/aftercare_notices.py: after the repair and complaints: the callback, the warranty
  reminder, a complaint's card and buttons, and what its owner is told.
"""

from views.aftercare_notices import AftercareNotices
from views.desk_notices import DeskNotices
from views.job_notices import JobNotices
from views.notices import DOCUMENT

__all__ = ["DOCUMENT", "Notifier"]  # DOCUMENT: how handlers/owner/photos.py marks a photo sent as a file


class Notifier(JobNotices, AftercareNotices, DeskNotices):
    """Job notices (which build on the alerts), aftercare and the front desk's notices, over one outbox."""
