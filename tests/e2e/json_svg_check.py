#!/usr/bin/env python3
# tests/e2e/json_svg_check.py: the host half of tests/e2e/json_svg.sh.
# Reads what json_svg_guest.sh printed in the VM and checks, for each run,
# that --json parses (json module) and says exactly what the text output
# and the summary line say, and that --svg parses as XML (xml.etree),
# renders with rsvg-convert to a PNG that is not blank, and holds the same
# calls as the text output, frame by frame.
#
#   json_svg_check.py KERNEL CAPTURE [SAVE_DIR]
#
# Prints "PASS: json/KERNEL/NAME" or "FAIL: json/KERNEL/NAME: why" (and
# svg/...) lines; exits 1 if any failed.  SAVE_DIR keeps the files.
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

SVG_NS = '{http://www.w3.org/2000/svg}'
MIN_SHARE = 1000        # svg.h FLAME_MIN_SHARE: boxes under 0.1% elided
LOST = {'stack unreadable': 'unreadable', 'stack map full': 'lost_map_full',
        'stack lost (other error)': 'lost_other'}
failed = False
# What json_svg_guest.sh's writers make in run P: w_alpha 300 + 200 + 100
# + 60 + 40 calls, w_beta 120 + 80 + 50, each through generic_perform_write.
WORKLOAD_P = (700, 250)


def report(kind, kernel, name, why):
    global failed
    if why:
        why = ' '.join(str(why).split('\n'))[:600]
        print(f'FAIL: {kind}/{kernel}/{name}: {why}')
        failed = True
    else:
        print(f'PASS: {kind}/{kernel}/{name}')


def parts_of(capture):
    parts, name = {}, None
    for line in capture.split('\n'):
        m = re.match(r'^@@@ PART (\S+)$', line)
        if m:
            name = m.group(1)
            parts[name] = []
        elif name:
            parts[name].append(line)
    # Each part was preceded by a newline of the marker's own.
    return {k: '\n'.join(v[:-1] if v and v[-1] == '' else v)
            for k, v in parts.items()}


def clean_comm(comm):
    """output.c's clean_comm for the text output."""
    return ''.join('?' if ord(c) < 32 or ord(c) == 0x7f else c
                   for c in comm[:15])


def text_stacks(text, per_process):
    """The text output: [(count, pid, comm, [frame, ...])], lost {}."""
    stacks, lost = [], {}
    for block in text.strip('\n').split('\n\n'):
        if not block.strip():
            continue
        lines = block.split('\n')
        pid = comm = None
        if per_process and lines[0].startswith('pid '):
            m = re.match(r'^pid (\d+) \((.*)\)$', lines[0])
            if not m:
                raise ValueError(f'bad process line {lines[0]!r}')
            pid, comm = int(m.group(1)), m.group(2)
            lines = lines[1:]
        m = re.match(r'^    (\d+)$', lines[-1])
        if not m:
            raise ValueError(f'no count at the end of {block!r}')
        if any(not f.startswith('  ') or f.startswith('   ')
               for f in lines[:-1]):
            raise ValueError(f'bad frame line in {block!r}')
        frames = [f[2:] for f in lines[:-1]]
        if len(frames) == 1 and frames[0][1:-1] in LOST and \
                frames[0][0] == '[':
            lost[frames[0][1:-1]] = int(m.group(1))
            continue
        stacks.append((int(m.group(1)), pid, comm, frames))
    return stacks, lost


SUMMARY = re.compile(
    r'^show_bt: (?P<label>.*): (?P<calls>\d+) calls? in (?P<secs>[\d.]+) s, '
    r'(?P<distinct>\d+) distinct stacks?; counted by stack id (?P<by_id>\d+), '
    r'by frames (?P<by_frames>\d+)(?: \([^)]*\))?, unreadable '
    r'(?P<unreadable>\d+), lost (?P<lost>\d+) \(map full (?P<full>\d+), '
    r'other (?P<other>\d+)\); skipped by the kernel (?P<skipped>.*)$', re.M)


def summary_of(err):
    m = SUMMARY.search(err)
    if not m:
        raise ValueError(f'no summary line in stderr: {err!r}')
    g = m.groupdict()
    skipped = int(g['skipped']) if g['skipped'].isdigit() else None
    return g['label'], g['secs'], {
        'calls': int(g['calls']), 'distinct_stacks': int(g['distinct']),
        'by_stack_id': int(g['by_id']), 'by_frames': int(g['by_frames']),
        'unreadable': int(g['unreadable']),
        'lost_map_full': int(g['full']), 'lost_other': int(g['other']),
        'skipped_by_kernel': skipped}


def frame_text(f):
    """A JSON frame as the text output prints it (ksym_format)."""
    if f['name'] is None:
        return f['address']
    s = '%s+0x%x' % (f['name'], f['offset'])
    return s + (' [%s]' % f['module'] if f['module'] is not None else '')


def json_stacks(doc, per_process):
    out = []
    for s in doc['stacks']:
        pid = s['pid'] if per_process else None
        comm = None
        if per_process:
            # The text marks a thread's name (the process had exited).
            comm = ('thread: ' if s['comm_is_thread'] else '') + \
                clean_comm(s['comm'])
        frames = [frame_text(f) for f in s['frames']]
        if s['truncated']:
            frames.append('[truncated]')
        out.append((s['count'], pid, comm, frames))
    return out


def check_json(k, run, p, per_process):
    name = lambda what: f'{what}_{run}'
    try:
        doc = json.loads(p[f'{run}.json'])
    except (KeyError, ValueError) as e:
        report('json', k, name('parse'), f'not JSON: {e}')
        return None
    report('json', k, name('parse'), None)
    try:
        label, secs, summary = summary_of(p[f'{run}.err'])
        stacks, lost = text_stacks(p[f'{run}.out'], per_process)
    except ValueError as e:
        report('json', k, name('text_output'), e)
        return doc
    why = None
    if doc.get('summary') != summary:
        why = f'summary {doc.get("summary")} != text {summary}'
    elif doc.get('label') != label:
        why = f'label {doc.get("label")!r} != {label!r}'
    elif '%.2f' % doc.get('window_seconds', -1) != secs:
        why = f'window {doc.get("window_seconds")} != {secs} s'
    elif doc.get('per_process') != bool(per_process):
        why = f'per_process {doc.get("per_process")}'
    report('json', k, name('summary'), why)
    try:
        got = json_stacks(doc, per_process)
        why = None if got == stacks else \
            f'stacks differ: json {got[:3]}... text {stacks[:3]}...'
    except (KeyError, TypeError) as e:
        why = f'malformed stack: {e!r}'
    report('json', k, name('stacks_equal_text'), why)
    total = sum(s['count'] for s in doc['stacks'])
    lost_json = {c: doc['summary'][key] for c, key in LOST.items()
                 if doc['summary'][key]}
    why = None
    if lost_json != lost:
        why = f'lost {lost_json} != text {lost}'
    elif total + sum(lost.values()) != summary['calls']:
        why = f'{total} in stacks + {lost} lost != {summary["calls"]} calls'
    elif len(doc['stacks']) != summary['distinct_stacks']:
        why = f'{len(doc["stacks"])} stacks, summary says ' \
              f'{summary["distinct_stacks"]}'
    report('json', k, name('totals'), why)
    return doc


def flame_name(frame):
    """A text frame as the flame graph names it: no offset."""
    m = re.match(r'^(.*)\+0x[0-9a-f]+( \[[^]]*\])?$', frame)
    return m.group(1) + (m.group(2) or '') if m else frame


def text_tree(stacks, lost, per_process):
    root = {'count': 0, 'kids': {}}
    for count, pid, comm, frames in stacks:
        path = [f'{comm} (pid {pid})'] if per_process else []
        path += [flame_name(f) for f in reversed(frames)]
        root['count'] += count
        node = root
        for n in path:
            node = node['kids'].setdefault(n, {'count': 0, 'kids': {}})
            node['count'] += count
    for cause, n in lost.items():
        root['kids'][f'[{cause}]'] = {'count': n, 'kids': {}}
        root['count'] += n
    return root


TITLE = re.compile(r'^(.*): (\d+) calls? \([\d.]+%\)$')


def svg_tree(g):
    title = g.find(SVG_NS + 'title')
    if title is None or title.text is None:
        raise ValueError('a <g> without a <title>')
    m = TITLE.match(title.text.split('\n')[0])
    if not m:
        raise ValueError(f'bad tooltip {title.text!r}')
    node = {'name': m.group(1), 'count': int(m.group(2)), 'kids': {}}
    if g.find(SVG_NS + 'rect') is None:
        raise ValueError(f'{m.group(1)}: no <rect>')
    for kid in g.findall(SVG_NS + 'g'):
        k = svg_tree(kid)
        if k['name'] in node['kids']:
            raise ValueError(f'{k["name"]} twice under {node["name"]}')
        node['kids'][k['name']] = k
    return node


def compare_trees(want, got, total, path):
    """None, or where the SVG's tree differs from the text's."""
    if want['count'] != got['count']:
        return f'{path}: {got["count"]} calls in the SVG, ' \
               f'{want["count"]} in the text'
    for name, w in want['kids'].items():
        visible = w['count'] * MIN_SHARE >= total
        if visible and name not in got['kids']:
            return f'{path};{name} ({w["count"]} calls) missing'
        if not visible and name in got['kids']:
            return f'{path};{name} ({w["count"]} of {total}) drawn'
        if visible:
            why = compare_trees(w, got['kids'][name], total,
                                f'{path};{name}')
            if why:
                return why
    extra = set(got['kids']) - set(want['kids'])
    return f'{path}: {sorted(extra)} not in the text' if extra else None


def png_pixels(data):
    """(width, height, [rows of RGBA tuples]) of an 8-bit RGB(A) PNG."""
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG')
    pos, idat, ihdr = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            ihdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError(f'PNG type {ctype} depth {depth}: not decoded here')
    bpp = 4 if ctype == 6 else 3
    raw, stride, prev, rows, at = zlib.decompress(idat), w * bpp, None, [], 0
    for _ in range(h):
        f, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        prev = prev or bytearray(stride)
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        rows.append([tuple(line[i:i + bpp]) for i in range(0, stride, bpp)])
        prev = line
    return w, h, rows


def check_render(k, run, svg_text, tmp):
    name = f'render_{run}'
    # Installed by `make deps` (tests/deps.sh), never here.
    tool = shutil.which('rsvg-convert')
    if not tool:
        report('svg', k, name,
               'no rsvg-convert: make deps (Debian librsvg2-bin)')
        return
    src = os.path.join(tmp, f'{run}.svg')
    png = os.path.join(tmp, f'{run}.png')
    with open(src, 'w', encoding='utf-8') as f:
        f.write(svg_text)
    r = subprocess.run([tool, '-f', 'png', '-o', png, src],
                       capture_output=True, text=True)
    if r.returncode or not os.path.exists(png):
        report('svg', k, name, f'rsvg-convert failed: {r.stderr.strip()}')
        return
    try:
        with open(png, 'rb') as f:
            w, h, rows = png_pixels(f.read())
    except (ValueError, zlib.error, struct.error, TypeError) as e:
        report('svg', k, name, f'cannot decode the PNG: {e}')
        return
    root = ET.fromstring(svg_text)
    colours, background = {}, rows[1][1]
    for row in rows:
        for px in row:
            colours[px] = colours.get(px, 0) + 1
    painted = sum(n for c, n in colours.items() if c != background)
    why = None
    if (w, h) != (int(root.get('width')), int(root.get('height'))):
        why = f'{w}x{h} PNG from a {root.get("width")}x{root.get("height")} SVG'
    elif len(colours) < 8:
        why = f'only {len(colours)} colours: blank'
    elif painted < w * h // 20:
        why = f'{painted} of {w * h} pixels painted: nearly blank'
    report('svg', k, name, why)


def check_svg(k, run, p, per_process, tmp):
    name = lambda what: f'{what}_{run}'
    try:
        root = ET.fromstring(p[f'{run}.svg'].encode('utf-8',
                                                    'surrogateescape'))
        if root.tag != SVG_NS + 'svg':
            raise ValueError(f'root element {root.tag}')
    except (KeyError, ET.ParseError, ValueError) as e:
        report('svg', k, name('xml'), f'not an SVG document: {e}')
        return
    report('svg', k, name('xml'), None)
    try:
        label, secs, summary = summary_of(p[f'{run}.err'])
        stacks, lost = text_stacks(p[f'{run}.out'], per_process)
    except ValueError as e:
        report('svg', k, name('text_output'), e)
        return
    title = root.find(SVG_NS + 'title')
    want = f'show_bt: {label}, {summary["calls"]} calls in {secs} s'
    report('svg', k, name('title'), None if title is not None and
           title.text == want else
           f'title {title.text if title is not None else None!r}, want {want!r}')
    try:
        boxes = root.findall(SVG_NS + 'g')
        if len(boxes) != 1:
            raise ValueError(f'{len(boxes)} root boxes, want 1')
        got = svg_tree(boxes[0])
        tree = text_tree(stacks, lost, per_process)
        why = None
        if got['name'] != 'all' or got['count'] != summary['calls']:
            why = f'root {got["name"]}: {got["count"]} calls, the summary ' \
                  f'says {summary["calls"]}'
        else:
            why = compare_trees(tree, got, tree['count'], 'all')
    except ValueError as e:
        why = e
    report('svg', k, name('totals_equal_text'), why)
    if per_process:
        # An exited process's tower is named "thread: NAME (pid N)".
        towers = {t.rsplit(' (pid ', 1)[0].replace('thread: ', '', 1):
                  got['kids'][t]['count']
                  for t in got['kids'] if re.search(r' \(pid \d+\)$', t)}
        calls = (towers.get('w_alpha'), towers.get('w_beta'))
        report('svg', k, name('towers'),
               None if 'sh' in towers and calls == WORKLOAD_P else
               f'towers {towers}: want sh, and w_alpha and w_beta with '
               f'{WORKLOAD_P} calls')
    check_render(k, run, p[f'{run}.svg'], tmp)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit('usage: json_svg_check.py KERNEL CAPTURE [SAVE_DIR]')
    k = sys.argv[1]
    with open(sys.argv[2], encoding='utf-8', errors='surrogateescape') as f:
        p = parts_of(f.read())
    if 'end' not in p:
        report('json', k, 'capture', 'the guest did not finish: ' +
               ' '.join(sorted(p)))
        return 1
    p_doc = None
    tmp = sys.argv[3] if len(sys.argv) == 4 else tempfile.mkdtemp()
    os.makedirs(tmp, exist_ok=True)
    for run, per_process in (('p', False), ('P', True)):
        rc = p.get(f'{run}.rc', '').split()
        if rc != ['0', '0']:
            report('json', k, f'run_{run}',
                   f'show_bt and writers exited {rc}: {p.get(run + ".err")}')
            continue
        for ext in ('json', 'svg'):
            with open(os.path.join(tmp, f'{run}.{ext}'), 'w',
                      encoding='utf-8', errors='surrogateescape') as f:
                f.write(p.get(f'{run}.{ext}', ''))
        doc = check_json(k, run, p, per_process)
        if run == 'p' and doc:
            counts = sorted(s['count'] for s in doc['stacks'])
            report('json', k, 'workload_p', None if counts == [11, 23, 37]
                   and doc['pid'] and doc['functions'][0]['name'] ==
                   'generic_perform_write' else
                   f'counts {counts} (want 11, 23, 37), pid {doc["pid"]}, '
                   f'functions {doc["functions"]}')
            p_doc = doc
        if run == 'P' and doc:
            report('json', k, 'per_process_fields', None if all(
                isinstance(s.get('pid'), int) and s['pid'] > 0 and
                isinstance(s.get('comm'), str) for s in doc['stacks'])
                else 'a stack without pid or comm')
            by_comm = {}
            for s in doc['stacks']:
                by_comm[s.get('comm')] = by_comm.get(s.get('comm'), 0) + \
                    s['count']
            got = (by_comm.get('w_alpha'), by_comm.get('w_beta'))
            report('json', k, 'workload_P', None if got == WORKLOAD_P else
                   f'w_alpha, w_beta made {got} calls, want {WORKLOAD_P}')
        check_svg(k, run, p, run == 'P', tmp)
    # --json -: stdout is the document alone, the same stacks as run p.
    rc = p.get('out.rc', '').split()
    try:
        if not p_doc:
            raise ValueError('run p gave no JSON to compare with')
        doc = json.loads(p['out.out'])
        a = [(s['count'], s['frames']) for s in doc['stacks']]
        b = [(s['count'], s['frames']) for s in p_doc['stacks']]
        why = None if rc == ['0', '0'] and a == b else \
            f'exit {rc}; stacks {a} != run p {b}'
    except (KeyError, ValueError) as e:
        why = f'stdout is not the JSON document alone: {e!r}: ' \
              f'{p.get("out.out", "")[:200]!r}'
    report('json', k, 'stdout_alone', why)
    if len(sys.argv) != 4:
        shutil.rmtree(tmp)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
