"""How the work record reads: the owner sees the cost of materials only for paid work; the
engineer's summary always shows it, with what paid work collected."""

from decimal import Decimal

from domain.work_record import Material, WorkRecord
from views.i18n import Catalogs
from views.work_record import owner_lines, record_lines, summary

EN = Catalogs().translator("en")
ZH = Catalogs().translator("zh")
PIPE = Material("PPR pipe", Decimal(2), "m", Decimal(30))


def test_the_owner_of_free_work_sees_the_materials_without_their_cost():
    lines = owner_lines(EN, WorkRecord("worn seal", (PIPE,), after_photos=1))
    assert lines == ["Materials:", "• PPR pipe — 2 m"]


def test_the_owner_of_paid_work_sees_the_cost_and_what_was_collected():
    record = WorkRecord("worn seal", (PIPE,), paid=True, quoted=Decimal(350), collected=Decimal(300), reason="old tap")
    assert owner_lines(EN, record) == [
        "Materials:",
        "• PPR pipe — 2 m — ¥30",
        "Materials total: ¥30",
        "Collected: ¥300",
        "Why it differs from the price: old tap",
    ]


def test_a_fault_chosen_by_button_reads_in_the_readers_language():
    record = WorkRecord("Worn seal or washer", fault_code="worn_seal")
    assert record_lines(ZH, record)[0] == "故障原因：密封圈或垫片老化"
    assert record_lines(EN, WorkRecord("Rusty valve"))[0] == "Fault found: Rusty valve"


def test_the_engineers_summary_counts_the_photos_and_the_receipt():
    record = WorkRecord("worn seal", after_photos=2, paid=True, receipt_photos=1, collected=Decimal(350))
    text = summary(EN, "261123-0001", record)
    assert "job №261123-0001" in text and "Materials: none" in text
    assert "Photos of the result: 2" in text and "Receipt photos: 1" in text and "Collected: ¥350" in text
