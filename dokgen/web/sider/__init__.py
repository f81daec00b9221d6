"""The HTML pages in bokmål (server-rendered, CSRF on every form)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("sider", __name__)
