"""``jixiao serve``: the local web page for finance officers and reviewers."""

from __future__ import annotations

import sys

import typer

from ..errors import UsageError
from .common import console, err_console, handle_errors

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def register(app: typer.Typer) -> None:
    @app.command("serve")
    @handle_errors
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="监听地址。默认只允许本机访问（127.0.0.1）。"),
        port: int = typer.Option(8000, "--port", help="端口号。"),
        db: str | None = typer.Option(
            None,
            "--db",
            help="历史数据库：sqlite:///路径、文件路径或 postgresql+psycopg://…（或环境变量 JIXIAO_DB）。默认是用户数据目录下的 jixiao/jixiao.db；网页上的评价与排名都记入其中，历年结果与对比从中读取。",
        ),
        max_upload_mb: int = typer.Option(20, "--max-upload-mb", help="单次上传的大小上限（MB）。"),
        open_browser: bool = typer.Option(False, "--open", help="启动后自动用默认浏览器打开页面。"),
    ):
        """启动本地网页：上传基础数据表校验与评价、下载报告；审核报告、批量排名、历年对比。"""
        if not (0 < port < 65536):
            raise UsageError(f"端口号 {port} 无效，应在 1–65535 之间。")
        if max_upload_mb < 1:
            raise UsageError("--max-upload-mb 至少为 1。")
        _check_port_free(host, port)
        import uvicorn

        from ..web import Settings, create_app
        from ..web.app import store_label
        from ..web.service import default_store_path
        from .batch import db_url  # a plain file path means an SQLite file, as in history/compare

        db = db_url(db, default=default_store_path())
        settings = Settings(host=host, port=port, db=db, max_upload_mb=max_upload_mb)
        application = create_app(settings)
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
        console.print(f"jixiao 本地网页已启动：{url} （按 Ctrl+C 停止）", markup=False)
        console.print(f"历史数据库：{store_label(db)}", markup=False)
        if open_browser:
            import threading
            import webbrowser

            threading.Timer(1.0, webbrowser.open, [url]).start()
        if host not in LOCAL_HOSTS:
            err_console.print(f"注意：监听 {host}，局域网内的其他电脑也能访问本页面。", markup=False)
        uvicorn.run(application, host=host, port=port, log_level="warning", access_log=False)


def _check_port_free(host: str, port: int) -> None:
    """Fail early with a Chinese message (uvicorn would log in English and exit 1)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise UsageError(f"无法识别的监听地址：{host}。", "一般使用默认的 127.0.0.1 即可。") from None
    family, _, _, _, addr = infos[0]
    s = socket.socket(family, socket.SOCK_STREAM)
    if sys.platform != "win32":  # as uvicorn does; a port in TIME_WAIT is free
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(addr)
    except OSError as exc:
        raise UsageError(
            f"无法在 {host}:{port} 启动：{exc.strerror or exc}。",
            "端口可能已被占用（也许本页面已经在运行），请换一个 --port。",
        ) from None
    finally:
        s.close()
