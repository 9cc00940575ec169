"""Navigation links that open 高德, 百度 and 腾讯 maps on a phone. All three take GCJ-02 here."""

from __future__ import annotations

from urllib.parse import quote, urlencode


def _name(name: str) -> str:
    # commas separate the fields of 高德's `to` parameter; a name must not add one
    return name.replace(",", " ").replace("，", " ")


def amap_url(lat_gcj: float, lng_gcj: float, name: str) -> str:
    to = f"{lng_gcj:.6f},{lat_gcj:.6f},{quote(_name(name))}"
    return f"https://uri.amap.com/navigation?to={to}&mode=walk&coordinate=gaode&callnative=1"


def baidu_url(lat_gcj: float, lng_gcj: float, name: str, address: str = "") -> str:
    query = urlencode(
        {
            "location": f"{lat_gcj:.6f},{lng_gcj:.6f}",
            "title": name,
            "content": address or name,
            "coord_type": "gcj02",
            "output": "html",
            "src": "webapp.niangjia.stations",
        }
    )
    return f"https://api.map.baidu.com/marker?{query}"


def tencent_url(lat_gcj: float, lng_gcj: float, name: str) -> str:
    query = urlencode(
        {
            "type": "walk",
            "to": name,
            "tocoord": f"{lat_gcj:.6f},{lng_gcj:.6f}",
            "referer": "niangjia",
        }
    )
    return f"https://apis.map.qq.com/uri/v1/routeplan?{query}"


def navigation(station) -> dict[str, str]:
    lat, lng = station.gcj02
    return {
        "amap": amap_url(lat, lng, station.name),
        "baidu": baidu_url(lat, lng, station.name, station.address),
        "tencent": tencent_url(lat, lng, station.name),
    }
