#!/usr/bin/env python3
"""Write F.expected next to every publisher fixture F in this directory.

Each .expected holds what a correct parser must print: the blocked entries,
host bits masked, collapsed per family, IPv4 then IPv6, one CIDR a line.
Special results: "REFUSED (truncated)" for *_cut.* files, "EMPTY (deprecated)"
for the EDROP notice, "EMPTY" when a file lists nothing.
Standard library only; deterministic.  Usage: python3 make_expected.py
"""
import ipaddress
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def net(text):
    return ipaddress.ip_network(text.strip(), strict=False)


def lines(text, comment):
    for line in text.splitlines():
        line = line.strip().lstrip("\ufeff")
        if line and not line.startswith(comment):
            yield line


def crowdsec(decisions):
    return [net(d["value"]) for d in decisions or []
            if d["type"].lower() == "ban" and d["scope"].lower() in ("ip", "range")]


def ipset(text):
    adds, nomatch = {}, {}
    for line in lines(text, "#"):
        words = line.split()
        if words[0] == "add":
            (nomatch if "nomatch" in words[3:] else adds).setdefault(words[1], []).append(net(words[2]))
    out = []
    for name, nets in adds.items():
        for hole in nomatch.get(name, []):
            kept = []
            for n in nets:
                if n.version != hole.version or not n.overlaps(hole):
                    kept.append(n)
                elif hole.subnet_of(n):
                    kept.extend(n.address_exclude(hole))
            nets = kept
        out += nets
    return out


def entries(name, text):
    if name.startswith("ipsum"):
        return [net(l.split()[0]) for l in lines(text, "#")]
    if name.startswith("spamhaus_drop") and name.endswith(".json"):
        return [net(json.loads(l)["cidr"]) for l in text.splitlines()
                if l.strip() and "cidr" in json.loads(l)]
    if name.startswith("spamhaus"):
        return [net(l.split(";")[0]) for l in lines(text, ";")]
    if name.startswith("dshield"):
        rows = [l.split("\t") for l in lines(text, "#")]
        return [net("%s/%s" % (r[0], r[2])) for r in rows if r[0] != "Start"]
    if name.startswith("cscli"):
        return [n for alert in json.loads(text) or [] for n in crowdsec(alert["decisions"])]
    if name.startswith("crowdsec_lapi_stream"):
        return crowdsec(json.loads(text)["new"])
    if name.startswith("crowdsec_decisions_array"):
        return crowdsec(json.loads(text))
    if name.startswith("ipset"):
        return ipset(text)
    return [net(l) for l in lines(text, "#")]  # FireHOL, ET, Feodo, blocklist.de, CINS, Tor


def expected(name, text):
    if "_cut." in name:
        return ["REFUSED (truncated)"]
    if name == "spamhaus_edrop.txt":
        return ["EMPTY (deprecated)"]
    nets = entries(name, text)
    out = []
    for version in (4, 6):
        fam = sorted(ipaddress.collapse_addresses(n for n in nets if n.version == version))
        out += [str(n) for n in fam]
    return out or ["EMPTY"]


def main():
    for name in sorted(os.listdir(HERE)):
        if name.endswith((".py", ".md", ".expected")):
            continue
        with open(os.path.join(HERE, name), encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(HERE, name + ".expected"), "w", encoding="utf-8") as f:
            f.write("\n".join(expected(name, text)) + "\n")


if __name__ == "__main__":
    main()
