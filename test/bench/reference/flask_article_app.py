"""The original article's Flask service, for `npm run bench` (measured only when Flask and
gunicorn are installed): POST /api/data validates the JSON body and keeps it, no auth.

Run: gunicorn -w 1 -k sync -b 127.0.0.1:PORT --chdir test/bench/reference flask_article_app:app
"""
import uuid
from datetime import datetime, timezone

from flask import Flask, jsonify, request

app = Flask(__name__)
records = {}


@app.route("/api/data", methods=["POST"])
def receive_data():
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        return jsonify({"status": "error", "message": "key is required"}), 400
    record_id = str(uuid.uuid4())
    records[record_id] = data
    return jsonify({
        "status": "success",
        "data": {"id": record_id, **data},
        "timestamp": datetime.now(timezone.utc).isoformat(),
    }), 201


@app.route("/health/ready")
def ready():
    return jsonify({"status": "ok"})
