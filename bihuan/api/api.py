from ninja import NinjaAPI

api = NinjaAPI(title="Bihuan 闭环 API", version="1", urls_namespace="api")
