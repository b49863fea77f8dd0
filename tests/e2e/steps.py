"""Steps the scenarios share: what an owner does to get registered and to file a report."""

from tests.fake_telegram.people import Person, jpeg

REGISTERED = {"en": "You are registered", "zh": "您已登记", "ru": "Вы зарегистрированы"}


async def register(person: Person, language: str = "en") -> None:
    await person.send("/start")
    await person.next_message()
    await person.share_contact()
    await person.expect(REGISTERED[language])  # and, in the same message, how to report


async def report_leak_in_english(owner: Person, photos: int = 1) -> dict:
    """John's leak, from his words to the confirmation with the ticket number."""
    await owner.send("water is dripping from the bathroom ceiling")
    await owner.expect("It sounds like: 💧 Leak / seepage")
    await owner.press("Yes")
    await owner.expect("Where is the problem?")
    await owner.press("unit 0502")
    await owner.expect("at least one photo")
    for index in range(photos):
        await owner.send_photo(jpeg(["red", "blue", "green"][index % 3]))
    await owner.expect(f"Photos received: {photos} of 10")
    await owner.press("Done")
    await owner.expect("When would a visit suit you?")
    await owner.press("Tomorrow morning")
    await owner.expect("Please check your report")
    await owner.press("Confirm")
    return await owner.expect("is registered")


def ticket_number(confirmation: dict) -> str:
    return confirmation["text"].split("№")[1].split()[0]


async def quote_accepted(people, price: str = "350 yuan: new seal and fitting") -> None:
    """Paid work (John's unit is out of warranty): Ivan quotes on site, John accepts."""
    await people.ivan.press("Quote the price")
    await people.ivan.expect("Send the price")
    await people.ivan.send(price)
    await people.john.expect("Do you accept", price)
    await people.john.press("Accept")
    await people.john.expect("the engineer can start")
    await people.ivan.expect("The owner accepted the price")


async def up_to_the_description(owner: Person, category: str = "Leak") -> None:
    """A registered owner's report by the menu, with the place chosen, asking for the words."""
    await register(owner)
    await owner.send("/report")
    await owner.press(category)
    await owner.press("unit 0502")
    await owner.expect("describe the problem")


async def report_lamp(owner: Person, description: str = "Lamp") -> dict:
    """A lighting report by the menu, without photos, up to its summary."""
    await owner.send("/report")
    await owner.press("Lighting")
    await owner.press("unit 0502")
    await owner.send(description)
    await owner.press("No photos")
    await owner.press("Today")
    return await owner.expect("Please check your report")


async def record_work(engineer: Person, fault: str, paid: bool = True, collected: str = "350") -> None:
    """From the job panel's Done to the confirmed work record: the fault as text, no
    materials, one photo of the result, and for paid work the receipt and the amount."""
    await engineer.press("Done")
    await engineer.expect("What did you find")
    await engineer.send(fault)
    await engineer.expect("What materials did you use?")
    await engineer.press("No materials")
    await engineer.expect("at least one photo of the result")
    await engineer.send_photo(jpeg("white"))
    await engineer.expect("Photos of the result: 1")
    await engineer.press("Done")
    if paid:
        await engineer.expect("photo of the receipt")
        await engineer.send_photo(jpeg("gray"))
        await engineer.expect("How much did you collect")
        await engineer.send(collected)
    await engineer.expect("Please check the work record")
    await engineer.press("Confirm")
