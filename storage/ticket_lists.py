"""Lists of tickets, a page at a time, filtered and counted in SQL."""

from storage.ticket_rows import TicketReader


class TicketLists(TicketReader):
    pass
