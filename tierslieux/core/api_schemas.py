"""The API's error bodies, one definition for every app's router (the OpenAPI document then
names one `ErrorOut` and one `ValidationErrorOut`)."""

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(ErrorOut):
    errors: dict[str, list[str]]
