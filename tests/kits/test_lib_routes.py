from samvirke.kits.lib import routes as r

H = 3600
DEPOT = r.Point(55.4319, 11.5550)  # Sorø
FAST = r.RouteSettings(avg_speed_kmh=50, detour_factor=1.3, time_limit_seconds=1)


def tech(key="T1", start=8 * H, end=16 * H, depot=DEPOT):
    return r.Technician(key, depot, depot, start, end)


def visit(key, lat, lon, ws, we, service=1800):
    return r.Visit(key, r.Point(lat, lon), ws, we, service)


def test_haversine_and_travel_time():
    # Sorø → Køge, about 40 km as the crow flies.
    km = r.haversine_km(DEPOT, r.Point(55.4580, 12.1821))
    assert 39 < km < 41
    assert r.travel_seconds(DEPOT, DEPOT, FAST) == 0
    assert r.travel_seconds(DEPOT, r.Point(55.4580, 12.1821), FAST) == -(-km * 1.3 / 50 * 3600 // 1)


def small_case():
    # Three visits around Sorø whose windows force the order C (early), A, B (late) though geography says A, B, C.
    return [
        visit("A", 55.45, 11.60, 10 * H, 11 * H),
        visit("B", 55.47, 11.65, 13 * H, 14 * H),
        visit("C", 55.40, 11.50, 8 * H, 9 * H),
    ]


def test_windows_are_met_on_a_small_feasible_case():
    visits = small_case()
    plan = r.plan_routes(visits, [tech()], FAST)
    assert not plan.unplanned
    assert [stop.visit_key for stop in plan.routes[0].stops] == ["C", "A", "B"]
    assert r.check_plan(plan, visits, [tech()], FAST) == []
    for stop, key in zip(plan.routes[0].stops, "CAB", strict=True):
        v = next(x for x in visits if x.key == key)
        assert v.window_start <= stop.start <= v.window_end


def test_an_unreachable_visit_is_reported_with_why():
    visits = [
        *small_case(),
        visit("early", 55.0, 12.5, 8 * H, 8 * H + 300),  # far away, window closes 5 minutes after the shift starts
        visit("late", 55.0, 12.5, 15 * H + 3000, 16 * H),  # reachable, but no way home before 16
        visit("bad", 55.45, 11.6, 12 * H, 11 * H),
    ]
    plan = r.plan_routes(visits, [tech()], FAST)
    reasons = {item.visit_key: item.reason for item in plan.unplanned}
    assert reasons == {"early": r.REASON_WINDOW, "late": r.REASON_RETURN, "bad": r.REASON_BAD_WINDOW}
    assert r.check_plan(plan, visits, [tech()], FAST) == []


def test_too_many_visits_for_one_window_drop_the_fewest():
    # Four one-hour visits that must all begin between 9 and 10.30: one technician can do at most two.
    visits = [visit(f"V{i}", 55.43 + i / 1000, 11.555, 9 * H, 10 * H + 1800, service=H) for i in range(4)]
    plan = r.plan_routes(visits, [tech()], FAST)
    assert plan.planned == 2
    assert {item.reason for item in plan.unplanned} == {r.REASON_NO_ROOM}
    assert r.check_plan(plan, visits, [tech()], FAST) == []
    two = r.plan_routes(visits, [tech("T1"), tech("T2")], FAST)
    assert two.planned == 4 and not two.unplanned


def test_nearest_neighbour_is_valid_and_never_better_than_the_solver_here():
    visits = [
        visit(f"V{i}", 55.3 + (i * 37 % 17) / 50, 11.3 + (i * 11 % 13) / 20, 8 * H, 16 * H, 1200) for i in range(12)
    ]
    techs = [tech("T1"), tech("T2", depot=r.Point(55.4580, 12.1821))]
    baseline = r.plan_nearest_neighbour(visits, techs, FAST)
    solved = r.plan_routes(visits, techs, FAST)
    assert r.check_plan(baseline, visits, techs, FAST) == []
    assert r.check_plan(solved, visits, techs, FAST) == []
    assert solved.planned == baseline.planned == 12
    assert solved.travel_seconds <= baseline.travel_seconds


def test_check_plan_catches_a_visit_outside_its_window():
    visits = small_case()
    techs = [tech()]
    good = r.plan_routes(visits, techs, FAST)
    wrong_order = r.time_route(techs[0], [visits[1], visits[0], visits[2]], FAST)  # B at 13, then A, C too late
    bad = r.DayPlan((wrong_order,), (), "manual", "manual")
    assert r.check_plan(good, visits, techs, FAST) == []
    assert any("uden for tidsvinduet" in problem for problem in r.check_plan(bad, visits, techs, FAST))


def test_duplicate_keys_are_refused():
    import pytest

    with pytest.raises(ValueError, match="samme nøgle"):
        r.plan_routes([visit("A", 55.4, 11.5, 8 * H, 9 * H)] * 2, [tech()], FAST)
