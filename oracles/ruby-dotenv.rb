# The real Ruby dotenv (3.x) as an oracle: one JSON request on stdin, one JSON answer on stdout.
#
# Request: {"cases": [{"dir": D, "files": [F, ...], "env": {K: V}}]}.  Each case runs in a
# forked child with exactly `env` as ENV, in `dir`, calling Dotenv.load(*files) as
# Dotenv::Rails.load does (files highest priority first, overwrite: false).  Answer: per
# case {"status": "ok", "env": ENV after loading, "version": Dotenv::VERSION} or
# {"status": "error", "error": the exception's class}.
require "json"
require "dotenv"

def run_case(c)
  ENV.replace(c["env"] || {})
  Dir.chdir(c["dir"])
  Dotenv.load(*c["files"])
  { "status" => "ok", "env" => ENV.to_h, "version" => Dotenv::VERSION }
rescue Exception => e # rubocop:disable Lint/RescueException -- a FormatError is a SyntaxError
  { "status" => "error", "error" => e.class.name }
end

answers = JSON.parse($stdin.read)["cases"].map do |c|
  reader, writer = IO.pipe
  pid = fork do
    reader.close
    writer.write(JSON.generate(run_case(c)))
    writer.close
    exit!(0)
  end
  writer.close
  out = reader.read
  reader.close
  Process.wait(pid)
  out.empty? ? { "status" => "error", "error" => "crash" } : JSON.parse(out)
end
puts JSON.generate(answers)
