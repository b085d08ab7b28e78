"""Contact files in and out: vCard, the CSV layouts of Google, Outlook and LinkedIn, and
calendar feeds.  Parsers turn a file's text into `Contact`s (contacts/card.py); what
becomes of them in the book is decided by domain/import_plan.py."""
