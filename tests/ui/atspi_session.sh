#!/bin/sh
# Runs a command on a private D-Bus session bus with the AT-SPI bus up (for xvfb-run):
# what tst_accessibility_atspi (ctest) and tests/manual/atspi_walk.py need.
eval "$(dbus-launch --sh-syntax)"
/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
LAUNCHER=$!
sleep 1 # a fixed wait on purpose: lets the launcher own org.a11y.Bus before Qt asks for it
# SOCKSCOPE_A11Y_EVENTS=1: tst_accessibility then insists on seeing the events it checks.
QT_QPA_PLATFORM=xcb QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 SOCKSCOPE_A11Y_EVENTS=1 "$@"
rc=$?
kill $LAUNCHER $DBUS_SESSION_BUS_PID 2>/dev/null
exit $rc
