"""#11 §5: station ratings and reports read their fields without a Django form; a NUL in them
reached PostgreSQL (a DataError 500). Refused with a 400 page, and nothing is written."""

from __future__ import annotations

from niangjia.stations.models import Rating, Report


def test_a_nul_in_a_station_rating_comment_is_a_400_and_nothing_is_written(client, station):
    response = client.post(f"/stations/{station.code}/rate/", {"score": "5", "comment": "好\x00"})
    assert response.status_code == 400
    assert "包含空字符" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_nul_in_a_station_report_note_is_a_400_and_nothing_is_written(client, station):
    response = client.post(f"/stations/{station.code}/report/", {"kind": "other", "note": "坏\x00"})
    assert response.status_code == 400
    assert "包含空字符" in response.content.decode()
    assert not Report.objects.exists()


def test_a_nul_in_a_station_code_in_the_url_is_a_400(client, station):
    assert client.get("/stations/%00/").status_code == 400


def test_a_station_rating_without_nul_is_still_saved(client, station):
    response = client.post(f"/stations/{station.code}/rate/", {"score": "4", "comment": "很好"})
    assert response.status_code == 302
    assert Rating.objects.get().comment == "很好"
