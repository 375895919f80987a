export interface OrderItem {
  itemId: string;
  productId: string;
  name: string;
  category: string;
  price: number;
  quantity: number;
}

export interface Order {
  orderId: string;
  userId: string;
  orderDate: string;
  totalValue: number;
  items: OrderItem[];
  status: string;
  createdAt: string;
}
