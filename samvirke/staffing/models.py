"""Staffing: contact forecasts, Erlang requirements per interval and the rota against each member's shift hours.

No tables yet; the pure maths lives in lib/ (lib/erlang.py).
"""
