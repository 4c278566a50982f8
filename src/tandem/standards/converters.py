"""URL path converters for the library's pages and API."""

from django.urls import register_converter


class RequirementCodeConverter:
    """Requirement ids as the data files define them, e.g. S-B3.3, 5.4.1, 1.Q2."""

    regex = r"[A-Za-z0-9][A-Za-z0-9.\-]*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class DownloadFormatConverter(RequirementCodeConverter):
    regex = "csv|json"


CODE = "requirement_code"
DOWNLOAD_FORMAT = "download_format"
register_converter(RequirementCodeConverter, CODE)
register_converter(DownloadFormatConverter, DOWNLOAD_FORMAT)
