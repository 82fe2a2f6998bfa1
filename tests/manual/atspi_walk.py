#!/usr/bin/python3
# Drives the real sockscope window over AT-SPI, as a blind user's screen reader does, and
# reads back what it should say: connect the starter client (its Connect button), send
# 5 bytes (the composer's text, then Send), open Watch TCP (the toolbar toggle's Toggle
# action), then read the sent and received totals, the state diagram's table (both ends
# ESTABLISHED) and, after Tools > Guided lessons, the lesson status; then selects the
# server's row of the session tree through the Table interface and sees its pane.
# Loopback only: the starter server listens on 127.0.0.1.
#
# Not a unit test (tests/ui/tst_accessibility walks the same through Qt's interfaces,
# offscreen); run by hand, no desktop needed:
#   xvfb-run -a tests/ui/atspi_session.sh /usr/bin/python3 tests/manual/atspi_walk.py build/app/sockscope
# It prints each finding and exits 0 when every one was read.

import os
import subprocess
import sys
import time

import pyatspi


def children(node):
    try:
        return [node.getChildAtIndex(i) for i in range(node.childCount)]
    except Exception:  # a node went away while walked
        return []


def showing(node):
    try:
        return node.getState().contains(pyatspi.STATE_SHOWING)
    except Exception:
        return False


def walk(node, depth=0):
    if node is None or depth > 80:
        return
    yield node
    for child in children(node):
        if showing(child):
            yield from walk(child, depth + 1)


def find(root, predicate, timeout=15.0, what=''):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for node in walk(root):
            try:
                if predicate(node):
                    return node
            except Exception:
                pass
        time.sleep(0.2)
    raise SystemExit('not found within %.0f s: %s' % (timeout, what))


def act(node, *names):
    action = node.queryAction()
    available = [action.getName(i) for i in range(action.nActions)]
    for i, name in enumerate(available):
        if name.lower() in names:
            action.doAction(i)
            return
    raise SystemExit('%s has no action %s (only %s)' % (node.name, names, available))


def role(node):
    return node.getRoleName()


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else 'build/app/sockscope'
    env = dict(os.environ, QT_LINUX_ACCESSIBILITY_ALWAYS_ON='1', QT_QPA_PLATFORM='xcb')
    proc = subprocess.Popen([binary], env=env)
    findings = []
    try:
        desktop = pyatspi.Registry.getDesktop(0)
        app = find(desktop, lambda n: n.name == 'sockscope' and role(n) == 'application', what='the sockscope application')

        connect = find(app, lambda n: n.name == 'Connect' and role(n) == 'push button', what='the Connect button')
        act(connect, 'press')
        editor = find(app, lambda n: n.name == 'Bytes to send' and role(n) == 'text', what='the composer')
        editor.queryEditableText().setTextContents('hello')
        send = find(app, lambda n: n.name == 'Send' and role(n) == 'push button'
                    and n.getState().contains(pyatspi.STATE_ENABLED), what='an enabled Send button')
        act(send, 'press')
        sent = find(app, lambda n: n.name == 'Sent totals' and 'sent: 1 call' in n.description, what='the sent totals')
        findings.append('Sent totals: ' + sent.description)
        received = find(app, lambda n: n.name == 'Received totals' and 'received: 1 call' in n.description,
                        what='the received totals')
        findings.append('Received totals: ' + received.description)

        toggle = find(app, lambda n: n.name == 'Watch TCP' and role(n) in ('check box', 'toggle button'),
                      what='the Watch TCP toggle')
        act(toggle, 'toggle', 'press')

        def both_established(n):
            if n.name != 'TCP state diagram' or role(n) != 'table':
                return False
            table = n.queryTable()
            return all(table.getAccessibleAt(row, 1).name == 'ESTABLISHED' for row in (0, 1))
        diagram = find(app, both_established, timeout=20, what='both ends ESTABLISHED in the state diagram')
        table = diagram.queryTable()
        for row in range(table.nRows):
            cells = [table.getAccessibleAt(row, c).name for c in range(table.nColumns)]
            findings.append('State diagram row %d: %s' % (row, ' | '.join(cells)))
        findings.append('State diagram columns: ' + ', '.join(table.getColumnDescription(c) for c in range(table.nColumns)))
        toggle_state = toggle.getState().contains(pyatspi.STATE_CHECKED)
        findings.append('Watch TCP toggle checked: %s' % toggle_state)
        if not toggle_state:
            raise SystemExit('the Watch TCP toggle does not say checked while the dock shows')

        # Menu items are not showing until their menu opens: look for this one among all nodes.
        lessons = pyatspi.utils.findDescendant(app, lambda n: n.name == 'Guided lessons' and role(n) == 'menu item')
        if lessons is None:
            raise SystemExit('no Tools > Guided lessons menu item')
        act(lessons, 'press', 'click', 'activate', 'trigger')
        status = find(app, lambda n: n.name == 'Lesson status' and n.description, what='the lesson status')
        findings.append('Lesson status: ' + status.description)

        # Selection through AT-SPI's table interface moves the pane: pick the server's row.
        tree = find(app, lambda n: n.name == 'Sessions' and role(n) in ('tree table', 'tree', 'table'), what='the session tree')
        table = tree.queryTable()
        rows = [table.getAccessibleAt(r, 0).name for r in range(table.nRows)]
        server_row = next(r for r, name in enumerate(rows) if name.startswith('TCP server'))
        if not table.addRowSelection(server_row):
            raise SystemExit('the session tree refused to select row %d' % server_row)
        listening = find(app, lambda n: n.name == 'Listening status' and n.description, what='the server pane')
        findings.append('Selected tree row %d (%s): the pane shows %s' % (server_row, rows[server_row], listening.description))
    finally:
        for line in findings:
            print(line)
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == '__main__':
    sys.exit(main())
