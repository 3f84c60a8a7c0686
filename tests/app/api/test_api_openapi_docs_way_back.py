"""The API's documentation page says where a member gets a token and leads back to Tablée."""

from __future__ import annotations


def test_the_api_description_names_the_account_page_and_a_way_back(client, db):
    description = client.get("/api/openapi.json").json()["info"]["description"]

    assert "/account/#jetons" in description and "[Back to Tablée](/)" in description
