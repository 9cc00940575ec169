"""Coordinates: WGS-84 ↔ GCJ-02 and great-circle distance, in pure Python.

Stations are stored in WGS-84 (what a phone's GPS and the browser's geolocation report). Chinese map
platforms (高德, 腾讯, and 百度 before its own BD-09 offset) publish and accept GCJ-02, the
obfuscated "Mars" system mandated for maps of China, so we convert where the two meet: on input
from an Excel sheet or a map picker, and on output to navigation links and POI exports.

The forward transform is the widely used eviltransform/`coordtransform` algorithm (Krasovsky 1940
ellipsoid). It has no closed-form inverse; `gcj02_to_wgs84` iterates the forward transform until
the round trip is within a millimetre, much better than the ~1-2 m of the one-step inverse.
"""

from __future__ import annotations

import math

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as GCJ-02 uses
_EE = 0.00669342162296594323  # its first eccentricity squared
EARTH_RADIUS_M = 6371008.8  # mean Earth radius (IUGG), used for great-circle distances

WGS84 = "wgs84"
GCJ02 = "gcj02"
SYSTEMS = (WGS84, GCJ02)


def _out_of_china_rect(lat: float, lng: float) -> bool:
    # the rectangle eviltransform uses to skip the offset outside China
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _delta(lat: float, lng: float) -> tuple[float, float]:
    dlat = _transform_lat(lng - 105.0, lat - 35.0)
    dlng = _transform_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return dlat, dlng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    if _out_of_china_rect(lat, lng):
        return lat, lng
    dlat, dlng = _delta(lat, lng)
    return lat + dlat, lng + dlng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """Invert by fixed-point iteration: a few steps reach millimetres."""
    if _out_of_china_rect(lat, lng):
        return lat, lng
    wlat, wlng = lat, lng
    for _ in range(30):
        glat, glng = wgs84_to_gcj02(wlat, wlng)
        elat, elng = glat - lat, glng - lng
        wlat, wlng = wlat - elat, wlng - elng
        if abs(elat) < 1e-10 and abs(elng) < 1e-10:
            break
    return wlat, wlng


def to_wgs84(lat: float, lng: float, system: str) -> tuple[float, float]:
    return gcj02_to_wgs84(lat, lng) if system == GCJ02 else (lat, lng)


def from_wgs84(lat: float, lng: float, system: str) -> tuple[float, float]:
    return wgs84_to_gcj02(lat, lng) if system == GCJ02 else (lat, lng)


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres on the mean-radius sphere."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) of a box that contains the whole circle.

    The longitude half-width uses the circle's widest parallel (the pole-ward edge), so the box is
    never too narrow; exactness of the nearby search rests on this containment."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    min_lat, max_lat = lat - dlat, lat + dlat
    widest = max(abs(min_lat), abs(max_lat))
    if widest >= 89.0:
        return max(min_lat, -90.0), min(max_lat, 90.0), -180.0, 180.0
    dlng = math.degrees(radius_m / (EARTH_RADIUS_M * math.cos(math.radians(widest))))
    return min_lat, max_lat, lng - dlng, lng + dlng


# A coarse outline of China (mainland, Hainan, Taiwan, Hong Kong, Macau) as rectangles: enough to
# reject a swapped latitude/longitude or a point in Mongolia, Korea or the sea far off the coast,
# which is what a typo in an Excel sheet produces. Not a legal boundary.
_CHINA_BOXES = (
    (18.0, 54.0, 73.5, 135.1),  # the mainland's bounding box, trimmed below
    (3.8, 18.0, 108.5, 117.9),  # South China Sea islands (南海诸岛)
)
_NOT_CHINA = (
    (37.5, 39.8, 124.5, 130.7),  # Korean peninsula south of the Yalu mouth
    (39.8, 40.9, 125.3, 130.7),  # North Korea
    (33.0, 37.5, 124.0, 130.0),  # Yellow Sea, South Korea
    (43.0, 52.0, 97.0, 111.0),  # Mongolia (east and Gobi)
    (45.3, 52.0, 91.0, 97.0),  # Mongolia (west)
    (49.8, 54.0, 86.0, 118.5),  # Russia north of Mongolia
    (42.5, 54.0, 73.5, 80.2),  # Kazakhstan, Kyrgyzstan
    (48.5, 54.0, 80.2, 86.0),  # Kazakhstan east
    (18.0, 34.5, 73.5, 78.5),  # India, Pakistan
    (18.0, 28.3, 78.5, 88.0),  # Nepal, India
    (18.0, 27.0, 88.0, 97.3),  # Bangladesh, India east, Myanmar
    (18.0, 21.0, 97.3, 105.5),  # Thailand, Laos
    (18.0, 21.4, 105.5, 107.8),  # Vietnam north
    (18.0, 21.5, 122.5, 135.1),  # Pacific south of Taiwan
    (26.0, 33.0, 125.0, 135.1),  # East China Sea, Okinawa
    (33.0, 45.0, 131.5, 135.1),  # Sea of Japan, Vladivostok
)


def in_china(lat: float, lng: float) -> bool:
    if not any(a <= lat <= b and c <= lng <= d for a, b, c, d in _CHINA_BOXES):
        return False
    return not any(a <= lat <= b and c <= lng <= d for a, b, c, d in _NOT_CHINA)
