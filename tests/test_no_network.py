import socket

import pytest


def test_a_connection_off_this_machine_fails_loudly() -> None:
    with socket.socket() as s, pytest.raises(RuntimeError, match="network"):
        s.connect(("192.0.2.1", 443))
