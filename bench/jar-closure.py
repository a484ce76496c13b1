#!/usr/bin/env python3
"""Which classes the shipped jar lacks that drctl's own code can reach (a program, not a test).

Walks the class references (constant pool class entries and type descriptors) of cli/target/drctl.jar from every
dev.drctl class and every service provider named in META-INF/services, and prints each missing class with one
class that refers to it. A missing class is harmless when the code referring to it never runs (an optional
integration: Dropwizard metrics in HikariCP, OpenTelemetry in the MySQL driver, S3 in Flyway, ZooKeeper's Netty
socket); the known ones are listed in OPTIONAL and counted apart. Run it after changing the shade filters or the
exclusions in the parent pom, or after upgrading Curator, ZooKeeper, the AWS SDK or a driver; exit 1 when
something outside OPTIONAL is missing.

  bench/jar-closure.py [JAR]
"""
import collections, re, struct, sys, zipfile

OPTIONAL = re.compile(r'^(' + '|'.join([
    r'io/netty/',                      # ZooKeeper's Netty socket and server (NIO is used; see the parent pom)
    r'com/codahale/', r'io/dropwizard/', r'io/micrometer/',  # HikariCP's and ZooKeeper's optional metrics
    r'io/opentelemetry/',              # MySQL driver and Prometheus tracing, when an agent is present
    r'com/oracle/bmc/',                # MySQL driver's OCI authentication plugin
    r'com/mysql/cj/xdevapi/',          # X DevAPI (filtered out in cli/pom.xml)
    r'org/apache/commons/(logging|text|io)/', r'org/apache/logging/log4j/', r'org/jboss/vfs/', r'org/osgi/',
    r'software/amazon/awssdk/services/s3/',  # Flyway's optional integrations
    r'software/amazon/awssdk/crt/', r'software/amazon/eventstream/',  # AWS SDK optional signers
    r'jakarta/servlet/',               # Logback's servlet initialiser
    r'org/xerial/snappy/',             # ZooKeeper server snapshots
    r'org/testcontainers/', r'com/github/dockerjava/', r'lombok/', r'org/immutables/',  # container engine
    # annotations only: never loaded to run
    r'org/checkerframework/', r'org/jetbrains/annotations/', r'edu/umd/cs/findbugs/', r'org/apache/yetus/',
    r'io/prometheus/metrics/annotations/', r'org/apache/curator/shaded/com/google/(errorprone|j2objc)/',
    r'com/google/errorprone/', r'com/google/j2objc/', r'javax/annotation/',
]) + ')')
JDK = re.compile(r'^(java|javax|jdk|sun|com/sun|org/w3c|org/xml|org/ietf|org/omg)/')


def refs(data):
    out, utf, classes = set(), {}, []
    count, i, k = struct.unpack('>H', data[8:10])[0], 10, 1
    while k < count:
        tag = data[i]
        if tag == 1:
            n = struct.unpack('>H', data[i + 1:i + 3])[0]
            utf[k] = data[i + 3:i + 3 + n].decode('utf8', 'replace')
            i += 3 + n
        elif tag in (7, 8, 16, 19, 20):
            if tag == 7:
                classes.append(struct.unpack('>H', data[i + 1:i + 3])[0])
            i += 3
        elif tag == 15:
            i += 4
        elif tag in (3, 4, 9, 10, 11, 12, 17, 18):
            i += 5
        elif tag in (5, 6):
            i += 9
            k += 1
        else:
            raise ValueError(f'constant pool tag {tag}')
        k += 1
    for c in classes:
        name = utf.get(c, '').lstrip('[')
        out.add(name[1:-1] if name.startswith('L') and name.endswith(';') else name)
    for s in utf.values():
        out.update(m.group(1) for m in re.finditer(r'L([A-Za-z0-9_/$]+);', s))
    return out


def main():
    jar = zipfile.ZipFile(sys.argv[1] if len(sys.argv) > 1 else 'cli/target/drctl.jar')
    names = {n[:-6] for n in jar.namelist() if n.endswith('.class') and not n.startswith('META-INF/')}
    roots = [n for n in names if n.startswith('dev/drctl/')]
    for n in jar.namelist():
        if n.startswith('META-INF/services/') and not n.endswith('/'):
            roots += [l.split('#')[0].strip().replace('.', '/') for l in jar.read(n).decode().splitlines()
                      if l.split('#')[0].strip()]
    seen = {r for r in roots if r in names}
    todo, missing = list(seen), collections.defaultdict(set)
    while todo:
        c = todo.pop()
        for d in refs(jar.read(c + '.class')):
            if d in names:
                if d not in seen:
                    seen.add(d)
                    todo.append(d)
            elif '/' in d and not JDK.match(d):
                missing[d].add(c)
    unexpected = {d: u for d, u in missing.items() if not OPTIONAL.match(d)}
    print(f'{len(seen)} classes reachable; {len(missing) - len(unexpected)} missing ones are optional integrations')
    for d in sorted(unexpected):
        print(f'MISSING {d}  (from {sorted(unexpected[d])[0]})')
    return 1 if unexpected else 0


if __name__ == '__main__':
    sys.exit(main())
