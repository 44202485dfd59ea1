"""``run --file NAME=PATH``: local files for ``file`` / ``file[]`` trigger inputs.

Everything is checked before any request (API reference limits, CONTRACT section
9): the media type from the extension must be one of the supported ones, each
file at most 10 MiB, all of them at most 50 MiB, 1 to 20 files. After the
session exists the files are uploaded and each input gets its ``FileReference``
(an array for ``file[]`` or when the name is given more than once).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from octavus_cli.errors import ConfigError
from octavus_cli.records import record

if TYPE_CHECKING:
    from octavus_cli.platform.files import FilesApi
    from octavus_cli.protocol.model import Declaration

MEDIA_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".json": "application/json",
}
MIB = 1024 * 1024
MAX_FILE_BYTES = 10 * MIB
MAX_TOTAL_BYTES = 50 * MIB
MAX_FILES = 20


@record
class LocalFile:
    input_name: str
    path: Path
    media_type: str
    size: int

    @property
    def filename(self) -> str:
        return self.path.name[:255]


def parse_files(values: list[str]) -> dict[str, list[LocalFile]]:
    """``NAME=PATH`` options -> files by input name, every limit checked."""
    found: dict[str, list[LocalFile]] = {}
    for value in values:
        name, sep, raw_path = value.partition("=")
        if not sep or not name.strip() or not raw_path.strip():
            raise ConfigError(
                f"--file {value!r} is not NAME=PATH", hint="For example: --file DOCUMENT=./a.pdf"
            )
        found.setdefault(name.strip(), []).append(_local_file(name.strip(), raw_path))
    every = [item for items in found.values() for item in items]
    if len(every) > MAX_FILES:
        raise ConfigError(f"{len(every)} files given; at most {MAX_FILES} go in one run")
    total = sum(item.size for item in every)
    if total > MAX_TOTAL_BYTES:
        raise ConfigError(
            f"The files add up to {total / MIB:.1f} MiB; at most 50 MiB go in one run"
        )
    return found


def _local_file(name: str, raw_path: str) -> LocalFile:
    path = Path(raw_path).expanduser()
    if not path.is_file():
        raise ConfigError(f"--file {name}: no file at {raw_path}")
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        kinds = ", ".join(sorted(MEDIA_TYPES))
        raise ConfigError(
            f"--file {name}: {path.name} is not a supported file type",
            hint=f"Supported extensions: {kinds} (JPEG, PNG, GIF, WebP, PDF, text, "
            "Markdown, JSON).",
        )
    size = path.stat().st_size
    if size == 0:
        raise ConfigError(f"--file {name}: {path.name} is empty")
    if size > MAX_FILE_BYTES:
        raise ConfigError(
            f"--file {name}: {path.name} is {size / MIB:.1f} MiB; the limit is 10 MiB per file"
        )
    return LocalFile(name, path, media_type, size)


def check_file_inputs(
    files: dict[str, list[LocalFile]], specs: dict[str, Declaration] | None, trigger: str
) -> None:
    """Each NAME must be a ``file`` or ``file[]`` input of the trigger (when it is known)."""
    if specs is None:
        return
    for name, items in files.items():
        spec = specs.get(name)
        if spec is None:
            declared = ", ".join(s.name for s in specs.values() if s.value_type.startswith("file"))
            raise ConfigError(
                f"--file {name}: trigger {trigger} has no input {name}",
                hint=f"Its file inputs: {declared or 'none'}.",
            )
        if not spec.value_type.startswith("file"):
            raise ConfigError(f"--file {name}: the input is of type {spec.value_type}, not file")
        if spec.value_type == "file" and len(items) > 1:
            raise ConfigError(f"--file {name}: the input takes one file (type file, not file[])")


def upload_files(
    api: FilesApi,
    session_id: str,
    files: dict[str, list[LocalFile]],
    specs: dict[str, Declaration] | None,
) -> dict[str, Any]:
    """Upload every file; the input values (a FileReference or a list of them)."""
    every = [item for items in files.values() for item in items]
    if not every:
        return {}
    slots = api.upload_urls(
        session_id,
        [{"filename": f.filename, "mediaType": f.media_type, "size": f.size} for f in every],
    )
    references: dict[str, list[dict[str, Any]]] = {}
    for item, slot in zip(every, slots, strict=True):
        data = item.path.read_bytes()
        if len(data) != item.size:
            raise ConfigError(f"--file {item.input_name}: {item.path} changed while uploading")
        api.upload(slot, data, item.media_type, item.filename)
        references.setdefault(item.input_name, []).append(
            {
                "id": slot.id,
                "mediaType": item.media_type,
                "url": slot.download_url,
                "filename": item.filename,
                "size": item.size,
            }
        )
    values: dict[str, Any] = {}
    for name, refs in references.items():
        spec = specs.get(name) if specs else None
        many = len(refs) > 1 or (spec is not None and spec.value_type == "file[]")
        values[name] = refs if many else refs[0]
    return values
