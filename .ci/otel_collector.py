"""A stand-in OTLP/HTTP collector for .ci/otel.sh: appends each protobuf body POSTed to
/v1/traces to a file and answers 200 with an empty ExportTraceServiceResponse; anything else
is 404 or 415. Usage: otel_collector.py PORT FILE"""
import http.server
import sys

PORT, OUT = int(sys.argv[1]), sys.argv[2]


class Collector(http.server.BaseHTTPRequestHandler):
    def body(self):
        if "chunked" in self.headers.get("transfer-encoding", ""):
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                chunk = self.rfile.read(size + 2)[:size]
                if size == 0:
                    return data
                data += chunk
        return self.rfile.read(int(self.headers.get("content-length", 0)))

    def do_POST(self):
        body = self.body()
        if self.path != "/v1/traces":
            status = 404
        elif self.headers.get("content-type") != "application/x-protobuf":
            status = 415
        else:
            with open(OUT, "ab") as out:
                out.write(body)
            status = 200
        self.send_response(status)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def do_GET(self):
        self.send_response(404)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Collector).serve_forever()
