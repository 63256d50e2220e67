"""The one error services raise for refused input: its message is plain Spanish, shown as is."""


class WorkshopError(Exception):
    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code
