

def test_one_clock_for_every_time_shown() -> None:
    from hiprot.text import clock

    assert clock(725) == "12:05"
    assert clock(3725) == "1:02:05"
    assert clock(125.9) == "2:05"
    assert clock(125.2, pad=True, up=True) == "02:06"
    assert clock(-3) == "0:00"
