"""A tiny inventory: items with a count, restocked when they run low."""

from dataclasses import dataclass


@dataclass
class Item:
    name: str
    count: int
    minimum: int = 2


def needs_restock(item: Item) -> bool:
    return item.count < item.minimum


def restock(items: list[Item], amount: int) -> list[str]:
    restocked = []
    for item in items:
        if needs_restock(item):
            item.count += amount
            restocked.append(item.name)
    return restocked


if __name__ == "__main__":
    shelf = [Item("apples", 1), Item("pears", 5), Item("plums", 0)]
    print(restock(shelf, 10))
