"""The members page's import preview reads as the organizer reads: columns named in the page's
language, the columns Tablée ignores shown, errors written in the language of whoever opens the
preview, and a file that is not text said to be so."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tablee.members.models import User
from tablee.members.services import members_import

PAGE = "/organize/associations/cafe-rencontres/members/"


def _png() -> bytes:
    """A small real PNG (a 4×4 grey square), what a phone's « Fichiers » offers next to a CSV."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    pixels = b"".join(b"\x00" + b"\x80" * 4 for _row in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))


@pytest.fixture
def browser(organizer):
    client = Client()
    client.force_login(organizer)
    return client


def _preview(browser, data: bytes) -> str:
    """Upload the file; the address of its preview page."""
    sent = browser.post(PAGE + "import/", {"file": SimpleUploadedFile("membres.csv", data)})
    assert sent.status_code == 302
    return sent["Location"]


def _text(response) -> str:
    return response.content.decode().replace("\u00a0", " ").replace("&#x27;", "'")


def test_a_missing_column_is_named_in_french_with_the_headers_accepted_in_both_languages(browser):
    page = _text(browser.get(_preview(browser, b"courriel,nom\nanne@example.org,Roy\n")))

    assert "colonnes obligatoires absentes : prénom;" in page
    assert "first_name" not in page.split("colonnes obligatoires absentes")[1].split(";")[0]
    assert "email,first_name,last_name" in page and "courriel,prénom,nom" in page
    assert User.objects.filter(email="anne@example.org").count() == 0


def test_french_headers_are_accepted_by_the_preview_and_the_import(association):
    data = "Nom;Prénom;Courriel;Organisation\nRoy;Anne;anne@example.org;Coop Laval\n".encode()

    result = members_import(association=association, data=data)

    assert result.errors == []
    anne = User.objects.get()
    assert (anne.first_name, anne.last_name, anne.profile.organization) == ("Anne", "Roy", "Coop Laval")


def test_the_preview_warns_of_the_columns_tablee_ignores_and_still_offers_the_import(browser):
    data = "courriel,prénom,nom,Téléphone\nanne@example.org,Anne,Roy,418 555-0100\n".encode()

    page = _text(browser.get(_preview(browser, data)))

    assert 'data-testid="import-warnings"' in page
    assert "ligne 1 : colonnes ignorées (Tablée ne les garde pas) : Téléphone" in page
    assert 'data-testid="import-confirm"' in page


def test_errors_are_written_in_the_language_of_whoever_opens_the_preview(browser):
    preview = _preview(browser, b"email,last_name\nanne@example.org,Roy\n")  # uploaded in French
    assert "colonnes obligatoires absentes : prénom" in _text(browser.get(preview))

    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _text(browser.get(preview))

    [line] = [li for li in english.split("<li>")[1:] if "first name" in li]
    assert "colonnes" not in line and "obligatoires" not in line


def test_a_picture_renamed_csv_is_said_not_to_be_a_csv_file(browser):
    page = _text(browser.get(_preview(browser, _png())))

    assert "Ce fichier n'est pas un fichier CSV (texte)." in page
    assert "UTF-16" not in page and "caractères nuls" not in page
    # The whole file is refused, not one of its lines.
    assert "Ce fichier ne peut pas être importé tel quel" in page and "ligne fautive" not in page


def test_a_file_with_a_bad_data_line_counts_its_bad_lines(browser):
    page = _text(browser.get(_preview(browser, b"email,first_name,last_name\nnot-an-address,Anne,Roy\n")))

    assert "1 ligne fautive : rien ne sera importé." in page and "tel quel" not in page


def test_utf16_without_its_mark_keeps_the_utf16_hint(association):
    data = "email,first_name,last_name\r\nzoe@example.org,Zoé,Côté\r\n".encode("utf-16-le")

    [(_line, reason)] = members_import(association=association, data=data).errors

    assert "UTF-16" in reason and "n'est pas un fichier CSV" not in reason
    assert User.objects.count() == 0


def test_the_jobs_api_reads_a_previews_errors_as_text(api, organizer):
    from tablee.jobs.models import Job

    answer = api.upload("/api/associations/cafe-rencontres/members/import?dry_run=true", "m.csv",
                        b"email,last_name\nanne@example.org,Roy\n", user=organizer)
    assert answer.status_code == 422
    job = Job.objects.get(kind=Job.Kind.MEMBERS_PREVIEW)

    polled = api.get(f"/api/jobs/{job.pk}", user=organizer)

    assert polled.status_code == 200
    [error] = polled.json()["errors"]
    assert error["line"] == 1 and "colonnes obligatoires absentes\u00a0: prénom" in error["reason"]


def test_the_api_writes_a_previews_errors_in_the_language_of_the_tokens_owner(api, organizer):
    from tablee.members.models import Profile

    Profile.objects.filter(user=organizer).update(preferred_language="en")

    answer = api.upload("/api/associations/cafe-rencontres/members/import?dry_run=true", "m.csv",
                        b"email,last_name\nanne@example.org,Roy\n", user=organizer)

    assert answer.status_code == 422
    assert answer.json()["errors"][0]["reason"].startswith("required columns missing: first name;")
    polled = api.get(answer.json()["import_url"].removesuffix("/import"), user=organizer).json()
    assert polled["errors"] == answer.json()["errors"]
