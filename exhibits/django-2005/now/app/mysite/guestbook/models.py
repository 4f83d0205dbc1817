from typing import Any

from django.db import models


class Entry(models.Model):
    name = models.CharField(max_length=64)
    message = models.TextField(max_length=1000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "entries"

    def __str__(self) -> str:
        return f"{self.name}: {self.message[:40]}"

    def as_json(self) -> dict[str, Any]:
        created = self.created.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return {"id": self.id, "name": self.name, "message": self.message, "created": created}
